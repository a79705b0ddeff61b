package dev.spawntelemetry.store.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The files of the data directory that could not be read, moved aside untouched as
 * {@code <name>.corrupt-<UTC time>} for a person to repair: never overwritten, never
 * deleted.
 */
final class Quarantine {

	private static final String CORRUPT_SUFFIX = ".corrupt-";

	private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss.SSS'Z'")
		.withZone(ZoneOffset.UTC);

	private final Path directory;

	private final boolean fsync;

	private final Clock clock;

	private final List<Path> files = new CopyOnWriteArrayList<>();

	/** Finds the files moved aside before, by this build or an earlier one. */
	Quarantine(Path directory, boolean fsync, Clock clock) {
		this.directory = directory;
		this.fsync = fsync;
		this.clock = clock;
		List<Path> found = new ArrayList<>();
		try (DirectoryStream<Path> aside = Files.newDirectoryStream(directory, "telemetry.*" + CORRUPT_SUFFIX + "*")) {
			aside.forEach(found::add);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot list data directory " + directory, ex);
		}
		found.sort(null);
		this.files.addAll(found);
	}

	/** The files moved aside, oldest first. */
	List<Path> files() {
		return List.copyOf(this.files);
	}

	/**
	 * Moves a file that cannot be read aside.
	 * @return where it is now
	 * @throws UncheckedIOException if it cannot be moved: the service must not start and
	 * overwrite it
	 */
	Path moveAside(Path unreadable) {
		Path aside = unreadable
			.resolveSibling(unreadable.getFileName() + CORRUPT_SUFFIX + STAMP.format(this.clock.instant()));
		try {
			// No REPLACE_EXISTING: an earlier quarantined file is never overwritten
			Files.move(unreadable, aside, StandardCopyOption.ATOMIC_MOVE);
			if (this.fsync) {
				Fsync.directory(this.directory);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot move unreadable " + unreadable + " aside to " + aside
					+ "; refusing to start rather than overwrite it", ex);
		}
		this.files.add(aside);
		return aside;
	}

}
