package dev.spawntelemetry.store.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.spawntelemetry.telemetry.TelemetrySnapshot;

/**
 * Reads a telemetry file, ours or the ancestor's, for another backend to load.
 */
public final class TelemetryFiles {

	private TelemetryFiles() {
	}

	/**
	 * The state a file holds, under version 0.
	 * @throws IllegalArgumentException if the file is not a telemetry file this build can
	 * read, saying why
	 * @throws UncheckedIOException if it cannot be read at all
	 */
	public static TelemetrySnapshot read(Path file) {
		byte[] content;
		try {
			content = Files.readAllBytes(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + file, ex);
		}
		try {
			return new TelemetryFileFormat().read(content);
		}
		catch (CorruptTelemetryFileException ex) {
			throw new IllegalArgumentException(file + " is not a telemetry file: " + ex.getMessage(), ex);
		}
		catch (TelemetryFileTooNewException ex) {
			throw new IllegalArgumentException(ex.in(file).getMessage(), ex);
		}
	}

}
