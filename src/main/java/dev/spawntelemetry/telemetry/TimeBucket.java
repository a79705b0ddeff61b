package dev.spawntelemetry.telemetry;

import java.time.Instant;
import java.util.Map;

/**
 * What the spawns stamped within one time bucket did.
 *
 * @param start when the bucket starts
 * @param byModel per model, its spawns of the bucket (of the castes and source asked for)
 * @param bySource spawns per routing source
 */
public record TimeBucket(Instant start, Map<String, CasteStats> byModel, Map<String, Long> bySource) {

	public TimeBucket {
		byModel = Map.copyOf(byModel);
		bySource = Map.copyOf(bySource);
	}

}
