package dev.spawntelemetry.stats;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import dev.spawntelemetry.telemetry.DurationHistogram;
import dev.spawntelemetry.telemetry.Outcome;

/**
 * How long spawns took from their timestamp to their outcome, estimated from a log-spaced
 * histogram (within ±19%).
 */
record DurationSummary(long count, double p50Seconds, double p90Seconds, double p99Seconds) {

	static DurationSummary of(DurationHistogram histogram) {
		return new DurationSummary(histogram.total(), seconds(histogram.percentile(0.5)),
				seconds(histogram.percentile(0.9)), seconds(histogram.percentile(0.99)));
	}

	/** Per outcome, only those that occurred. */
	static Map<String, DurationSummary> perOutcome(Function<Outcome, DurationHistogram> histograms) {
		Map<String, DurationSummary> summaries = new LinkedHashMap<>();
		for (Outcome outcome : Outcome.values()) {
			DurationHistogram histogram = histograms.apply(outcome);
			if (histogram.total() > 0) {
				summaries.put(outcome.wireName(), of(histogram));
			}
		}
		return summaries;
	}

	private static double seconds(Duration duration) {
		return duration.toMillis() / 1000.0;
	}

}
