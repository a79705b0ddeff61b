package dev.spawntelemetry.store.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A disk that refuses the next persist: a non-empty directory where the temp file must
 * go. Unlike a read-only directory, this stops root too. Closing it removes the obstacle.
 */
final class TempFileObstacle implements AutoCloseable {

	private final Path obstacle;

	private TempFileObstacle(Path obstacle) {
		this.obstacle = obstacle;
	}

	static TempFileObstacle in(Path dataDirectory) {
		try {
			Path obstacle = Files.createDirectories(dataDirectory.resolve("telemetry.json.tmp"));
			Files.writeString(obstacle.resolve("keep"), "x");
			return new TempFileObstacle(obstacle);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		try {
			Files.deleteIfExists(this.obstacle.resolve("keep"));
			Files.deleteIfExists(this.obstacle);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
