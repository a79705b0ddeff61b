package dev.spawntelemetry.telemetry;

import java.util.List;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * Chooses a spawn's model from the committed evidence, inside the writer, so that the
 * choice and the spawn it is recorded with are one write.
 */
@FunctionalInterface
public interface Router {

	/**
	 * Chooses among candidates for a caste.
	 * @param spawnId the id the spawn will be recorded under; the choice's randomness is
	 * drawn from it
	 * @param statsOf the lifetime counters of a model for the caste, its routing evidence
	 * aged to the caste's clock ({@link RouteEvidence#agedTo}), or null for a model never
	 * spawned for it
	 */
	Choice choose(String spawnId, String caste, List<String> candidates,
			Function<String, @Nullable CasteStats> statsOf);

	/** A chosen model, and how it was chosen. */
	record Choice(String model, Route route) {

	}

	/**
	 * A spawn to be routed: the candidates, whether the client named them (a retry must
	 * then name the same), and the router to choose among them.
	 */
	record Request(List<String> candidates, boolean named, Router router) {

		public Request {
			candidates = List.copyOf(candidates);
		}

	}

}
