package dev.spawntelemetry.store.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A disk that refuses the next persist, whichever way it goes: a non-empty directory
 * where the checkpoint's temp file must go, and one where the journal must be opened (the
 * journal itself put aside meanwhile). Unlike a read-only directory, this stops root too.
 * Closing it removes the obstacles and puts the journal back.
 */
final class TempFileObstacle implements AutoCloseable {

	private final Path temp;

	private final Path journal;

	private final Path journalAside;

	private final boolean journalExisted;

	private TempFileObstacle(Path dataDirectory) throws IOException {
		this.temp = dataDirectory.resolve("telemetry.json.tmp");
		this.journal = dataDirectory.resolve(JsonFileStore.JOURNAL);
		this.journalAside = dataDirectory.resolve(JsonFileStore.JOURNAL + ".obstacle-aside");
		this.journalExisted = Files.exists(this.journal);
		if (this.journalExisted) {
			Files.move(this.journal, this.journalAside, StandardCopyOption.ATOMIC_MOVE);
		}
		block(this.temp);
		block(this.journal);
	}

	static TempFileObstacle in(Path dataDirectory) {
		try {
			return new TempFileObstacle(dataDirectory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		try {
			unblock(this.temp);
			unblock(this.journal);
			if (this.journalExisted) {
				Files.move(this.journalAside, this.journal, StandardCopyOption.ATOMIC_MOVE);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void block(Path path) throws IOException {
		Files.createDirectories(path);
		Files.writeString(path.resolve("keep"), "x");
	}

	private static void unblock(Path path) throws IOException {
		Files.deleteIfExists(path.resolve("keep"));
		Files.deleteIfExists(path);
	}

}
