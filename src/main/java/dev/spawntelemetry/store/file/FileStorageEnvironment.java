package dev.spawntelemetry.store.file;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * While the file backend runs ({@code telemetry.storage.type} is {@code file} or not
 * set), leaves out the auto-configuration of a database (its connection pool, migrations
 * and health), so that the service starts with no database configured.
 */
class FileStorageEnvironment implements EnvironmentPostProcessor {

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
