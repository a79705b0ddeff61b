package dev.spawntelemetry.store;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * A process whose writer died is broken, not merely unready: liveness goes DOWN, so that
 * an orchestrator or a container's health check restarts it.
 */
@Component
class WriterLiveness {

	WriterLiveness(TelemetryWriter writer, ApplicationEventPublisher events) {
		writer.whenDead((cause) -> AvailabilityChangeEvent.publish(events, writer, LivenessState.BROKEN));
	}

}
