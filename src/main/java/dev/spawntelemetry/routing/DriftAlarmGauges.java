package dev.spawntelemetry.routing;

import java.time.Clock;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * One gauge per caste × model whose success rate changed within the last 7 days, valued
 * at the change ({@code after - before}); its labels are model and caste, whose numbers
 * {@code telemetry.limits} bound. Refreshed from the current state every few seconds, so
 * every replica reports what every replica committed.
 */
@Component
class DriftAlarmGauges {

	static final Duration SHOWN_FOR = Duration.ofDays(7);

	private final Routes routes;

	private final Clock clock;

	private final MultiGauge gauges;

	DriftAlarmGauges(Routes routes, Clock clock, MeterRegistry registry) {
		this.routes = routes;
		this.clock = clock;
		this.gauges = MultiGauge.builder("spawn.telemetry.drift.alarm")
			.description("Change of a caste's resolved success rate on a model that the detector found in the last "
					+ "7 days (after - before)")
			.register(registry);
		refresh();
	}

	@Scheduled(fixedDelayString = "${telemetry.routing.gauge-refresh:5s}")
	void refresh() {
		this.gauges.register(this.routes.alerts(this.clock.instant().minus(SHOWN_FOR))
			.stream()
			.map((alert) -> MultiGauge.Row.of(Tags.of("model", alert.model(), "caste", alert.caste()), alert.change()))
			.toList(), true);
	}

}
