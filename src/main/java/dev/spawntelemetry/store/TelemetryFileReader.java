package dev.spawntelemetry.store;

import java.nio.file.Path;

import dev.spawntelemetry.telemetry.TelemetrySnapshot;

/**
 * Reads a telemetry file, ours or the ancestor's, with its journal: how another backend
 * loads one without knowing the file backend.
 */
@FunctionalInterface
public interface TelemetryFileReader {

	/**
	 * The state a file holds, with the batches of its journal applied, under version 0.
	 * @throws IllegalArgumentException if the file is not a telemetry file this build can
	 * read, saying why
	 * @throws java.io.UncheckedIOException if it cannot be read at all
	 */
	TelemetrySnapshot read(Path file);

}
