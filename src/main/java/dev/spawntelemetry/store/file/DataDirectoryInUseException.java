package dev.spawntelemetry.store.file;

import java.nio.file.Path;

/**
 * Another process, or another store in this one, holds the data directory.
 */
public class DataDirectoryInUseException extends RuntimeException {

	private final Path directory;

	DataDirectoryInUseException(Path directory) {
		super("Data directory " + directory + " is in use by another spawn-telemetry instance");
		this.directory = directory;
	}

	public Path directory() {
		return this.directory;
	}

}
