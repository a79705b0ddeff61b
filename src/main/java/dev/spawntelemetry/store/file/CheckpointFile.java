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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.telemetry.TelemetrySnapshot;

/**
 * {@code telemetry.json}, the checkpoint of the whole state: replaced atomically and
 * durably (write a temp file, fsync it, move it over the old one, fsync the directory),
 * so that a crash at any moment leaves the old file or the new one, whole; on the
 * writer's thread, or in the background while the writer goes on.
 */
final class CheckpointFile implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(CheckpointFile.class);

	private final Path file;

	private final Path tempFile;

	private final boolean fsync;

	/** One checkpoint at a time, on the writer's thread or in the background. */
	private final FileFormat format = new FileFormat();

	/** The size of the file after the last checkpoint, or as read. */
	private volatile long bytes;

	private final ExecutorService background = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "telemetry-checkpoint");
		thread.setDaemon(true);
		return thread;
	});

	/** The replace running in the background, if any; the writer's thread's only. */
	private @Nullable Future<?> running;

	/** What follows a checkpoint made in the background, there. */
	interface AfterReplace {

		void run() throws IOException;

	}

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
				DataDirectory.force(this.file.getParent());
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

	/** Whether a replace started in the background is still running. */
	boolean replacing() {
		return this.running != null && !this.running.isDone();
	}

	/**
	 * Replaces the file in the background, then runs {@code then} there; a failure of
	 * either goes to {@code failed}.
	 */
	void replaceInBackground(TelemetrySnapshot snapshot, long seq, TimeBuckets buckets, String storeId,
			AfterReplace then, Consumer<Exception> failed) {
		this.running = this.background.submit(() -> {
			try {
				replace(snapshot, seq, buckets, storeId);
				then.run();
			}
			catch (IOException | RuntimeException ex) {
				failed.accept(ex);
			}
		});
	}

	/** Waits for a replace running in the background, whether it succeeds or not. */
	void awaitBackground() {
		Future<?> replace = this.running;
		if (replace == null) {
			return;
		}
		try {
			replace.get();
		}
		catch (ExecutionException ex) {
			logger.debug("The background checkpoint failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		this.background.shutdownNow();
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
