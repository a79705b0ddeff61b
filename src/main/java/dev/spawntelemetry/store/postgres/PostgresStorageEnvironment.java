package dev.spawntelemetry.store.postgres;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * While the PostgreSQL backend runs, there is no local disk to watch: no disk-space
 * health unless asked for. An import of a telemetry file ({@code telemetry.import.file})
 * listens on no port.
 */
class PostgresStorageEnvironment implements EnvironmentPostProcessor {

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!"postgres".equals(environment.getProperty("telemetry.storage.type"))) {
			return;
		}
		environment.getPropertySources()
			.addLast(new MapPropertySource("telemetryPostgresDefaults",
					Map.of("management.health.diskspace.enabled", "false")));
		if (environment.containsProperty("telemetry.import.file")) {
			environment.getPropertySources()
				.addFirst(new MapPropertySource("telemetryImport",
						Map.of("server.port", "-1", "management.server.port", "-1")));
		}
	}

}
