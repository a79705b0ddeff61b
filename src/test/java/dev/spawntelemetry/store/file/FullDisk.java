package dev.spawntelemetry.store.file;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A small file system of its own (tmpfs), mounted for a test, that can be filled to the
 * last byte and emptied again. Mounting needs root (or CAP_SYS_ADMIN): where the machine
 * does not allow it, the test is skipped with the reason.
 */
final class FullDisk implements AutoCloseable {

	private final Path mountPoint;

	private final Path filler;

	private FullDisk(Path mountPoint) {
		this.mountPoint = mountPoint;
		this.filler = mountPoint.resolve("filler");
	}

	/** Mounts a tmpfs of this many megabytes on the directory, or skips the test. */
	static FullDisk mount(Path mountPoint, int megabytes) {
		String failure = run(
				List.of("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "tmpfs", mountPoint.toString()));
		Assumptions.assumeTrue(failure == null,
				() -> "a full disk needs a tmpfs of its own, and this machine did not mount one: " + failure);
		return new FullDisk(mountPoint);
	}

	Path path() {
		return this.mountPoint;
	}

	/** Writes until the file system refuses even a byte more. */
	void fill() throws IOException {
		byte[] chunk = new byte[64 * 1024];
		try (OutputStream out = Files.newOutputStream(this.filler)) {
			while (true) {
				out.write(chunk);
			}
		}
		catch (IOException full) {
			// the chunk that did not fit; then what fits byte by byte
		}
		try (OutputStream out = Files.newOutputStream(this.filler, java.nio.file.StandardOpenOption.APPEND)) {
			while (true) {
				out.write(0);
				out.flush();
			}
		}
		catch (IOException full) {
			// full to the last byte
		}
	}

	/** Gives back the space {@link #fill} took. */
	void free() throws IOException {
		Files.deleteIfExists(this.filler);
	}

	@Override
	public void close() {
		String failure = run(List.of("umount", "-l", this.mountPoint.toString()));
		if (failure != null) {
			throw new IllegalStateException("Cannot unmount " + this.mountPoint + ": " + failure);
		}
	}

	/** Runs a command; null if it succeeded, else what it said. */
	private static String run(List<String> command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes());
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				return String.join(" ", command) + " did not end";
			}
			return (process.exitValue() == 0) ? null : output.strip();
		}
		catch (IOException ex) {
			return ex.getMessage();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "interrupted";
		}
	}

}
