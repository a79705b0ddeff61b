package dev.spawntelemetry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A fresh data directory for each application a test starts: the store locks its
 * directory, so two test contexts never share one.
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
	}

}
