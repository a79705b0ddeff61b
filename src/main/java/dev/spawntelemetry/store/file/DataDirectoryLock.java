package dev.spawntelemetry.store.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a data directory, held for as long as the store lives, so that two
 * instances never write the same file. The operating system releases it when the process
 * dies, however it dies.
 */
final class DataDirectoryLock implements AutoCloseable {

	static final String LOCK_FILE = ".lock";

	private final FileChannel channel;

	private final FileLock lock;

	private DataDirectoryLock(FileChannel channel, FileLock lock) {
		this.channel = channel;
		this.lock = lock;
	}

	/**
	 * Takes the lock, or fails at once.
	 * @throws DataDirectoryInUseException if another holder has it
	 */
	static DataDirectoryLock acquire(Path directory) {
		Path lockFile = directory.resolve(LOCK_FILE);
		FileChannel channel = null;
		try {
			channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
			FileLock lock = channel.tryLock();
			if (lock == null) {
				throw new DataDirectoryInUseException(directory);
			}
			return new DataDirectoryLock(channel, lock);
		}
		catch (OverlappingFileLockException ex) {
			closeQuietly(channel);
			throw new DataDirectoryInUseException(directory);
		}
		catch (IOException ex) {
			closeQuietly(channel);
			throw new UncheckedIOException("Cannot lock " + lockFile, ex);
		}
		catch (RuntimeException ex) {
			closeQuietly(channel);
			throw ex;
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

	private static void closeQuietly(FileChannel channel) {
		if (channel != null) {
			try {
				channel.close();
			}
			catch (IOException ex) {
				// the failure to lock is what matters
			}
		}
	}

}
