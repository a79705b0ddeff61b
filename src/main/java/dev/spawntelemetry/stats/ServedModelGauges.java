package dev.spawntelemetry.stats;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

import dev.spawntelemetry.telemetry.TelemetryStorage;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * One gauge per model that another model was reported to have served, valued at the share
 * of its ended decisions in the log that another served ({@link ServedModels}); its label
 * is the model, whose number {@code telemetry.limits} bounds.
 */
@Component
class ServedModelGauges {

	private final TelemetryStorage storage;

	private final MultiGauge gauges;

	ServedModelGauges(TelemetryStorage storage, MeterRegistry registry) {
		this.storage = storage;
		this.gauges = MultiGauge.builder("spawn.telemetry.served.mismatch")
			.description("Share of a model's ended decisions in the log that another model served, as OpenTelemetry's "
					+ "gen_ai.response.model reports it")
			.register(registry);
		refresh();
	}

	@Scheduled(fixedDelayString = "${telemetry.routing.gauge-refresh:5s}")
	void refresh() {
		this.gauges.register(ServedModels.mismatchShares(this.storage.current().decisions())
			.entrySet()
			.stream()
			.map((share) -> MultiGauge.Row.of(Tags.of("model", share.getKey()), share.getValue()))
			.toList(), true);
	}

}
