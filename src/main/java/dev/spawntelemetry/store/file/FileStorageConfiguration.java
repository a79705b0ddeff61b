package dev.spawntelemetry.store.file;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;

import dev.spawntelemetry.store.StateCommitter;
import dev.spawntelemetry.store.TelemetryWriter;
import dev.spawntelemetry.store.WriterProperties;
import dev.spawntelemetry.telemetry.DecisionLogProperties;
import dev.spawntelemetry.telemetry.HistoryProperties;
import dev.spawntelemetry.telemetry.Limits;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The embedded JSON-file backend, the default ({@code telemetry.storage.type=file}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "telemetry.storage.type", havingValue = "file", matchIfMissing = true)
class FileStorageConfiguration {

	@Bean
	JsonFileStore jsonFileTelemetryStore(FileStorageProperties properties, DecisionLogProperties log, Limits limits,
			HistoryProperties history, Clock clock) {
		return new JsonFileStore(properties, log.maxDecisions(), limits, history, clock);
	}

	@Bean
	TelemetryWriter telemetryWriter(StateCommitter committer, WriterProperties writer, Clock clock,
			MeterRegistry meters) {
		return new TelemetryWriter(committer, writer, clock, meters);
	}

	@Bean
	FileStorage fileTelemetryStorage(TelemetryWriter writer, JsonFileStore store, HistoryProperties history,
			Clock clock) {
		return new FileStorage(writer, store, history, clock);
	}

}
