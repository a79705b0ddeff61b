package dev.spawntelemetry.telemetry;

import java.time.Instant;
import java.util.Map;

/**
 * What the spawns stamped within one time bucket did.
 *
 * @param start when the bucket starts
 * @param byModel per model, its spawns of the bucket (of the castes and source asked
 * for); under {@link #EVERY_MODEL} alone where the query did not want the models apart
 * @param bySource spawns per routing source
 */
public record TimeBucket(Instant start, Map<String, CasteStats> byModel, Map<String, Long> bySource) {

	/** The key of a bucket's sums over every model, which no model name can be. */
	public static final String EVERY_MODEL = "*";

	public TimeBucket {
		byModel = Map.copyOf(byModel);
		bySource = Map.copyOf(bySource);
	}

}
