package dev.spawntelemetry.telemetry;

import java.util.List;

/**
 * How the service chose a spawn's model, kept with the spawn.
 *
 * @param policy the policy that chose
 * @param propensity the probability with which it chose this model, for evaluating other
 * policies on the decisions it made
 * @param reason one line a person can read
 * @param candidates the models it chose among, in the order given
 */
public record Route(String policy, double propensity, String reason, List<String> candidates) {

	public Route {
		candidates = List.copyOf(candidates);
	}

}
