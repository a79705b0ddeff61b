package dev.spawntelemetry.store.file;

import java.time.Clock;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.store.StateCommitter;
import dev.spawntelemetry.store.TelemetryWriter;
import dev.spawntelemetry.store.WriterProperties;
import dev.spawntelemetry.telemetry.DecisionLogProperties;
import dev.spawntelemetry.telemetry.HistoryProperties;
import dev.spawntelemetry.telemetry.Limits;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The embedded JSON-file backend, the default ({@code telemetry.storage.type=file}), with
 * what it adds to the start of the service whichever backend is chosen: the database left
 * out while files are used, and a readable refusal of a data directory it cannot use.
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

	/**
	 * While the file backend runs ({@code telemetry.storage.type} is {@code file} or not
	 * set), leaves out the auto-configuration of a database (its connection pool,
	 * migrations and health), so that the service starts with no database configured.
	 */
	static final class DatabaseLeftOut implements EnvironmentPostProcessor {

		private static final String DATABASE_AUTO_CONFIGURATION = String.join(",",
				"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
				"org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration");

		@Override
		public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
			if (!"file".equals(environment.getProperty("telemetry.storage.type", "file"))) {
				return;
			}
			String excluded = environment.getProperty("spring.autoconfigure.exclude");
			String exclude = (excluded == null || excluded.isBlank()) ? DATABASE_AUTO_CONFIGURATION
					: excluded + "," + DATABASE_AUTO_CONFIGURATION;
			environment.getPropertySources()
				.addFirst(new MapPropertySource("telemetryDatabaseOnlyWhenUsed",
						Map.of("spring.autoconfigure.exclude", exclude)));
		}

	}

	/**
	 * Turns a start the data directory refuses into a short, actionable message instead
	 * of a stack trace: a directory another instance holds, one that cannot be made or
	 * written, or a file a newer build wrote.
	 */
	static final class StartRefusals implements FailureAnalyzer {

		@Override
		public @Nullable FailureAnalysis analyze(Throwable failure) {
			for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
				if (cause instanceof DataDirectory.InUseException inUse) {
					return new FailureAnalysis(
							"The data directory " + inUse.directory() + " is in use: another spawn-telemetry instance "
									+ "holds " + inUse.directory().resolve(DataDirectory.LOCK_FILE) + ".",
							"Stop the other instance, or give this one its own directory with telemetry.storage.dir "
									+ "(environment variable TELEMETRY_STORAGE_DIR).",
							inUse);
				}
				if (cause instanceof DataDirectory.UnusableException unusable) {
					return new FailureAnalysis(unusable.getMessage() + ".",
							"Point telemetry.storage.dir (environment variable TELEMETRY_STORAGE_DIR) at a directory "
									+ "this user can create and write.",
							unusable);
				}
				if (cause instanceof FileFormat.TooNewException tooNew) {
					return new FailureAnalysis("The telemetry file " + tooNew.file() + " has format version "
							+ tooNew.fileVersion() + ", newer than the version " + FileFormat.VERSION
							+ " this build of spawn-telemetry understands. It was left untouched: rewriting it would drop "
							+ "what this build does not know.",
							"Run the newer build of spawn-telemetry that wrote the file, or point this one at another "
									+ "directory with telemetry.storage.dir (environment variable TELEMETRY_STORAGE_DIR).",
							tooNew);
				}
			}
			return null;
		}

	}

}
