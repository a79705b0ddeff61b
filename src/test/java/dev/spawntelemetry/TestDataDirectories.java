package dev.spawntelemetry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A fresh data directory for each application a test starts: the store locks its
 * directory, so two test contexts never share one. With the system property
 * {@value #STORAGE} set to {@code postgres} (Failsafe's second run of the HTTP tests),
 * the application runs on a fresh PostgreSQL database instead.
 */
public final class TestDataDirectories {

	public static final String STORAGE = "spawn-telemetry.test-storage";

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
		if ("postgres".equals(System.getProperty(STORAGE))) {
			TestPostgres.Database database = TestPostgres.createDatabase();
			registry.add("telemetry.storage.type", () -> "postgres");
			registry.add("spring.datasource.url", database::url);
		}
	}

}
