package dev.spawntelemetry.otlp;

import java.util.EnumMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * What became of the agent spans exported to this service, by result and, for those not
 * counted, by a bounded reason.
 */
@Component
class OtlpMetrics {

	private static final String SPANS = "spawn.telemetry.otlp.spans";

	private final Counter recorded;

	private final Counter retried;

	private final Map<SpanRejection, Counter> rejected = new EnumMap<>(SpanRejection.class);

	private final Counter notTaken;

	OtlpMetrics(MeterRegistry registry) {
		this.recorded = spans(registry, "recorded", "none");
		this.retried = spans(registry, "retry", "none");
		for (SpanRejection reason : SpanRejection.values()) {
			this.rejected.put(reason, spans(registry, "rejected", reason.tag()));
		}
		this.notTaken = Counter.builder("spawn.telemetry.otlp.exports.unavailable")
			.description("OTLP exports answered 503 (the writer could not take them now), for the exporter to retry")
			.register(registry);
	}

	private static Counter spans(MeterRegistry registry, String result, String reason) {
		return Counter.builder(SPANS)
			.description("OTLP agent spans: recorded as a new spawn, recognized as a retry, or rejected and why")
			.tag("result", result)
			.tag("reason", reason)
			.register(registry);
	}

	void spanRecorded(boolean isNew) {
		(isNew ? this.recorded : this.retried).increment();
	}

	void spanRejected(SpanRejection reason) {
		this.rejected.get(reason).increment();
	}

	void exportNotTaken() {
		this.notTaken.increment();
	}

}
