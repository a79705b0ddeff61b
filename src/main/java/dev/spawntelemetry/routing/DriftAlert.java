package dev.spawntelemetry.routing;

import java.time.Instant;

import dev.spawntelemetry.telemetry.RouteEvidence;

/**
 * A change of a caste's resolved success rate on a model that the detector found.
 *
 * @param at when the outcome that raised it was recorded
 * @param before the rate the evidence stood for until then
 * @param after the rate of the outcomes since the estimated change
 * @param change {@code after - before}
 * @param outcomesSinceChange the outcomes {@code after} rests on
 * @param evidenceBefore the discounted outcomes {@code before} rests on
 */
record DriftAlert(String model, String caste, Instant at, double before, double after, double change,
		long outcomesSinceChange, double evidenceBefore) {

	static DriftAlert of(String model, String caste, RouteEvidence.DriftAlarm alarm) {
		return new DriftAlert(model, caste, alarm.at(), RouteAnswer.round(alarm.before()),
				RouteAnswer.round(alarm.after()), RouteAnswer.round(alarm.after() - alarm.before()), alarm.since(),
				RouteAnswer.round(alarm.evidence()));
	}

}
