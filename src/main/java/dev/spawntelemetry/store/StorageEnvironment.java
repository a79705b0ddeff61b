package dev.spawntelemetry.store;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Leaves out the auto-configuration of a database (its connection pool, migrations and
 * health) unless the PostgreSQL backend runs, so that the embedded file backend starts
 * with no database configured; and the data directory's disk-space health when it does.
 * An import of a telemetry file ({@code telemetry.import.file}) listens on no port.
 */
class StorageEnvironment implements EnvironmentPostProcessor {

	private static final String DATABASE_AUTO_CONFIGURATION = String.join(",",
			"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
			"org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration");

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if ("postgres".equals(environment.getProperty("telemetry.storage.type"))) {
			// nothing is kept on a local disk: no disk-space health unless asked for
			environment.getPropertySources()
				.addLast(new MapPropertySource("telemetryPostgresDefaults",
						Map.of("management.health.diskspace.enabled", "false")));
			if (environment.containsProperty("telemetry.import.file")) {
				environment.getPropertySources()
					.addFirst(new MapPropertySource("telemetryImport",
							Map.of("server.port", "-1", "management.server.port", "-1")));
			}
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
