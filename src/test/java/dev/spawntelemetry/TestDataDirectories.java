package dev.spawntelemetry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A fresh data directory for each application a test starts: the store locks its
 * directory, so two test contexts never share one. Where the JVM runs with the system
 * property {@code telemetry.storage.type=postgres} (Failsafe's second run of the HTTP
 * tests), each application gets a fresh PostgreSQL database instead.
 */
public final class TestDataDirectories {

	private TestDataDirectories() {
	}

	public static Path create() {
		try {
			return Files.createTempDirectory("spawn-telemetry-test-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public static void register(DynamicPropertyRegistry registry) {
		Path dir = create();
		registry.add("telemetry.storage.dir", dir::toString);
		if ("postgres".equals(System.getProperty("telemetry.storage.type"))) {
			TestPostgres.Database database = TestPostgres.createDatabase();
			registry.add("spring.datasource.url", database::url);
		}
	}

}
