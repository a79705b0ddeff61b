package dev.spawntelemetry.store.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;

/**
 * The data directory itself: locked exclusively for as long as the store lives, so that
 * two instances never write the same files (the operating system releases the lock when
 * the process dies, however it dies); and the place where a file that could not be read
 * is moved aside untouched, as {@code <name>.corrupt-<UTC time>}, for a person to repair:
 * never overwritten, never deleted.
 */
final class DataDirectory implements AutoCloseable {

	static final String LOCK_FILE = ".lock";

	private static final String CORRUPT_SUFFIX = ".corrupt-";

	private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss.SSS'Z'")
		.withZone(ZoneOffset.UTC);

	private final Path path;

	private final boolean fsync;

	private final Clock clock;

	private final FileChannel channel;

	private final FileLock lock;

	private final List<Path> quarantined = new CopyOnWriteArrayList<>();

	private DataDirectory(Path path, boolean fsync, Clock clock, FileChannel channel, FileLock lock) {
		this.path = path;
		this.fsync = fsync;
		this.clock = clock;
		this.channel = channel;
		this.lock = lock;
	}

	/**
	 * Creates the directory if it does not exist, takes its lock or fails at once, and
	 * finds the files moved aside before, by this build or an earlier one.
	 * @throws InUseException if another holder has the lock
	 * @throws UnusableException if it cannot be made, locked or listed
	 */
	static DataDirectory open(Path path, boolean fsync, Clock clock) {
		try {
			Files.createDirectories(path);
		}
		catch (FileAlreadyExistsException ex) {
			throw new UnusableException(path, "it exists and is not a directory", ex);
		}
		catch (IOException ex) {
			throw new UnusableException(path, "it cannot be created", ex);
		}
		Path lockFile = path.resolve(LOCK_FILE);
		FileChannel channel = null;
		try {
			channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
			FileLock lock = channel.tryLock();
			if (lock == null) {
				throw new InUseException(path);
			}
			DataDirectory directory = new DataDirectory(path, fsync, clock, channel, lock);
			directory.findQuarantined();
			return directory;
		}
		catch (OverlappingFileLockException ex) {
			closeQuietly(channel);
			throw new InUseException(path);
		}
		catch (IOException ex) {
			closeQuietly(channel);
			throw new UnusableException(path, "its lock file " + lockFile + " cannot be written", ex);
		}
		catch (RuntimeException ex) {
			closeQuietly(channel);
			throw ex;
		}
	}

	private void findQuarantined() {
		List<Path> found = new ArrayList<>();
		try (DirectoryStream<Path> aside = Files.newDirectoryStream(this.path, "telemetry.*" + CORRUPT_SUFFIX + "*")) {
			aside.forEach(found::add);
		}
		catch (IOException ex) {
			throw new UnusableException(this.path, "it cannot be listed", ex);
		}
		found.sort(null);
		this.quarantined.addAll(found);
	}

	Path path() {
		return this.path;
	}

	/** The files moved aside because they could not be read, oldest first. */
	List<Path> quarantined() {
		return List.copyOf(this.quarantined);
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
				force(this.path);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot move unreadable " + unreadable + " aside to " + aside
					+ "; refusing to start rather than overwrite it", ex);
		}
		this.quarantined.add(aside);
		return aside;
	}

	/**
	 * Forces a directory's entries to the disk: a file just made, moved or deleted
	 * survives a power cut only once its directory's entry does too.
	 */
	static void force(Path directory) throws IOException {
		try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
			channel.force(true);
		}
	}

	@Override
	public void close() throws IOException {
		try {
			this.lock.release();
		}
		finally {
			this.channel.close();
		}
	}

	private static void closeQuietly(@Nullable FileChannel channel) {
		if (channel != null) {
			try {
				channel.close();
			}
			catch (IOException ex) {
				// the failure to lock is what matters
			}
		}
	}

	/**
	 * The data directory cannot be made, locked or listed: a file where it should be, or
	 * a directory this user may not write.
	 */
	static final class UnusableException extends RuntimeException {

		UnusableException(Path directory, String why, IOException cause) {
			super("The data directory " + directory + " cannot be used: " + why + " ("
					+ ((cause instanceof AccessDeniedException) ? "permission denied" : cause.toString()) + ")", cause);
		}

	}

	/**
	 * Another process, or another store in this one, holds the data directory.
	 */
	static final class InUseException extends RuntimeException {

		private final Path directory;

		InUseException(Path directory) {
			super("Data directory " + directory + " is in use by another spawn-telemetry instance");
			this.directory = directory;
		}

		Path directory() {
			return this.directory;
		}

	}

}
