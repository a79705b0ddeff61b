package dev.spawntelemetry.store;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class StoreConfiguration {

	@Bean
	@ConditionalOnMissingBean
	Clock clock() {
		return Clock.systemUTC();
	}

	@Bean
	JsonFileTelemetryStore jsonFileTelemetryStore(StorageProperties properties, Clock clock) {
		return new JsonFileTelemetryStore(properties, clock);
	}

	@Bean
	TelemetryWriter telemetryWriter(TelemetryStore store, StorageProperties storage, WriterProperties writer,
			Clock clock, MeterRegistry meters) {
		return new TelemetryWriter(store, storage, writer, clock, meters);
	}

	@Bean
	StorageHealthIndicator storageHealthIndicator(JsonFileTelemetryStore store, TelemetryWriter writer) {
		return new StorageHealthIndicator(store, writer);
	}

}
