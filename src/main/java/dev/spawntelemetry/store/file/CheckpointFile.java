package dev.spawntelemetry.store.file;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.telemetry.TelemetrySnapshot;

/**
 * {@code telemetry.json}, the checkpoint of the whole state: replaced atomically and
 * durably (write a temp file, fsync it, move it over the old one, fsync the directory),
 * so that a crash at any moment leaves the old file or the new one, whole.
 */
final class CheckpointFile {

	private static final Log logger = LogFactory.getLog(CheckpointFile.class);

	private final Path file;

	private final Path tempFile;

	private final boolean fsync;

	/** One checkpoint at a time, on the writer's thread or in the background. */
	private final FileFormat format = new FileFormat();

	/** The size of the file after the last checkpoint, or as read. */
	private volatile long bytes;

	CheckpointFile(Path file, boolean fsync) {
		this.file = file;
		this.tempFile = file.resolveSibling(file.getFileName() + ".tmp");
		this.fsync = fsync;
	}

	Path path() {
		return this.file;
	}

	boolean exists() {
		return Files.exists(this.file);
	}

	/** The size of the file after the last checkpoint, or as read. */
	long bytes() {
		return this.bytes;
	}

	/** The file's content; null if there is no file yet. */
	byte @Nullable [] read() throws IOException {
		try {
			byte[] content = Files.readAllBytes(this.file);
			this.bytes = content.length;
			return content;
		}
		catch (NoSuchFileException ex) {
			return null;
		}
	}

	/**
	 * Replaces the file with a state holding every batch up to {@code seq}. On a failure
	 * the old file stays, and no temp file is left.
	 */
	void replace(TelemetrySnapshot snapshot, long seq, TimeBuckets buckets, String storeId) throws IOException {
		try {
			try (FileChannel channel = FileChannel.open(this.tempFile, StandardOpenOption.CREATE,
					StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
				OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
				this.format.write(snapshot, seq, buckets, storeId, out);
				out.flush();
				this.bytes = channel.size();
				if (this.fsync) {
					channel.force(true);
				}
			}
			Files.move(this.tempFile, this.file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			if (this.fsync) {
				Fsync.directory(this.file.getParent());
			}
		}
		catch (IOException ex) {
			deleteTempFileQuietly();
			throw ex;
		}
		catch (RuntimeException ex) {
			deleteTempFileQuietly();
			IOException io = ioCause(ex);
			if (io != null) {
				// a library's wrapping of the file system's refusal (Jackson's
				// JacksonIOException): a storage failure like any other
				throw new IOException("Cannot write " + this.tempFile + ": " + io.getMessage(), io);
			}
			throw ex;
		}
	}

	private static @Nullable IOException ioCause(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof IOException io) {
				return io;
			}
		}
		return null;
	}

	/** Deletes the temp file a replace that never completed left. */
	void deleteStaleTempFile() throws IOException {
		if (Files.deleteIfExists(this.tempFile)) {
			logger.warn("Deleted " + this.tempFile + ", left by a persist that never completed; " + this.file
					+ " holds the last complete state");
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
