package dev.spawntelemetry.store.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Forcing what the data directory's files hold, or the directory itself, to the disk. */
final class Fsync {

	private Fsync() {
	}

	/**
	 * A file just made, moved or deleted survives a power cut only once its directory's
	 * entry does too.
	 */
	static void directory(Path directory) throws IOException {
		try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
			channel.force(true);
		}
	}

}
