package dev.spawntelemetry.store.file;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.spawntelemetry.telemetry.StorageUnavailableException;
import dev.spawntelemetry.telemetry.TelemetrySnapshot;

/**
 * The embedded store: the whole state in one JSON file, replaced atomically and durably
 * on every persist (write a temp file, fsync it, move it over the old one, fsync the
 * directory). A crash at any moment leaves either the old file or the new one.
 */
final class JsonFileTelemetryStore implements TelemetryStore, AutoCloseable {

	private static final Log logger = LogFactory.getLog(JsonFileTelemetryStore.class);

	private static final String CORRUPT_SUFFIX = ".corrupt-";

	private static final DateTimeFormatter QUARANTINE_STAMP = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss.SSS'Z'")
		.withZone(ZoneOffset.UTC);

	private final Path directory;

	private final Path file;

	private final Path tempFile;

	private final boolean fsync;

	private final Clock clock;

	private final TelemetryFileFormat format = new TelemetryFileFormat();

	private final DataDirectoryLock lock;

	private final List<Path> quarantined = new CopyOnWriteArrayList<>();

	JsonFileTelemetryStore(StorageProperties properties, Clock clock) {
		this.directory = properties.dir().toAbsolutePath().normalize();
		this.file = this.directory.resolve(properties.file().getFileName());
		this.tempFile = this.file.resolveSibling(this.file.getFileName() + ".tmp");
		this.fsync = properties.fsync();
		this.clock = clock;
		try {
			Files.createDirectories(this.directory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create data directory " + this.directory, ex);
		}
		this.lock = DataDirectoryLock.acquire(this.directory);
		this.quarantined.addAll(findQuarantined());
	}

	Path file() {
		return this.file;
	}

	Path directory() {
		return this.directory;
	}

	/**
	 * Files this store moved aside, or found moved aside, because they could not be read.
	 */
	List<Path> quarantined() {
		return List.copyOf(this.quarantined);
	}

	@Override
	public TelemetrySnapshot load() {
		deleteStaleTempFile();
		byte[] content;
		try {
			content = Files.readAllBytes(this.file);
		}
		catch (NoSuchFileException ex) {
			logger.info("No telemetry file at " + this.file + " yet; starting empty");
			return TelemetrySnapshot.empty();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + this.file, ex);
		}
		try {
			TelemetrySnapshot snapshot = this.format.read(content);
			logger.info("Loaded " + this.file + ": " + snapshot.totalSpawns() + " spawns over "
					+ snapshot.models().size() + " models, " + snapshot.decisions().size() + " decisions in the log");
			return snapshot;
		}
		catch (TelemetryFileTooNewException ex) {
			throw ex.in(this.file);
		}
		catch (CorruptTelemetryFileException ex) {
			Path aside = quarantine();
			logger.error("Telemetry file " + this.file + " cannot be read (" + ex.getMessage() + "). It was moved to "
					+ aside + " untouched; starting with empty telemetry. Repair it and put it back while the "
					+ "service is stopped to restore its data.");
			return TelemetrySnapshot.empty();
		}
	}

	@Override
	public void persist(TelemetrySnapshot snapshot) {
		try {
			writeTempFile(snapshot);
			Files.move(this.tempFile, this.file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			if (this.fsync) {
				fsyncDirectory();
			}
		}
		catch (IOException | UncheckedIOException ex) {
			deleteTempFileQuietly();
			throw new StorageUnavailableException("Cannot write " + this.file + ": " + ex.getMessage(), ex);
		}
		catch (RuntimeException ex) {
			// not the disk's fault (the state could not be written as JSON): the old file
			// stays
			deleteTempFileQuietly();
			throw ex;
		}
	}

	@Override
	public void close() throws IOException {
		this.lock.close();
	}

	private void writeTempFile(TelemetrySnapshot snapshot) throws IOException {
		try (FileChannel channel = FileChannel.open(this.tempFile, StandardOpenOption.CREATE,
				StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
			OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
			this.format.write(snapshot, out);
			out.flush();
			if (this.fsync) {
				channel.force(true);
			}
		}
	}

	private void fsyncDirectory() throws IOException {
		try (FileChannel dir = FileChannel.open(this.directory, StandardOpenOption.READ)) {
			dir.force(true);
		}
	}

	private Path quarantine() {
		Path aside = this.file
			.resolveSibling(this.file.getFileName() + CORRUPT_SUFFIX + QUARANTINE_STAMP.format(this.clock.instant()));
		try {
			// No REPLACE_EXISTING: an earlier quarantined file is never overwritten
			Files.move(this.file, aside, StandardCopyOption.ATOMIC_MOVE);
			if (this.fsync) {
				fsyncDirectory();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot move unreadable telemetry file " + this.file + " aside to " + aside
					+ "; refusing to start rather than overwrite it", ex);
		}
		this.quarantined.add(aside);
		return aside;
	}

	private List<Path> findQuarantined() {
		List<Path> found = new ArrayList<>();
		try (DirectoryStream<Path> files = Files.newDirectoryStream(this.directory,
				this.file.getFileName() + CORRUPT_SUFFIX + "*")) {
			files.forEach(found::add);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot list data directory " + this.directory, ex);
		}
		found.sort(null);
		return found;
	}

	private void deleteStaleTempFile() {
		try {
			if (Files.deleteIfExists(this.tempFile)) {
				logger.warn("Deleted " + this.tempFile + ", left by a persist that never completed; " + this.file
						+ " holds the last complete state");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot delete stale temp file " + this.tempFile, ex);
		}
	}

	private void deleteTempFileQuietly() {
		try {
			Files.deleteIfExists(this.tempFile);
		}
		catch (IOException ex) {
			logger.debug("Cannot delete " + this.tempFile, ex);
		}
	}

}
