package dev.spawntelemetry.telemetry;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * How the service chose a spawn's model, kept with the spawn.
 *
 * @param policy the policy that chose
 * @param propensity the probability with which it chose this model, for evaluating other
 * policies on the decisions it made
 * @param reason one line a person can read
 * @param candidates the models it chose among, in the order given
 * @param taskClass the task class it chose for, on that class's evidence; null for a
 * spawn routed before task classes were kept
 */
public record Route(String policy, double propensity, String reason, List<String> candidates,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String taskClass) {

	public Route {
		candidates = List.copyOf(candidates);
	}

	public Route(String policy, double propensity, String reason, List<String> candidates) {
		this(policy, propensity, reason, candidates, null);
	}

}
