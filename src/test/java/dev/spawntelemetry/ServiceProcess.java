package dev.spawntelemetry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The packaged service in a JVM of its own, so that a test can kill it the way a machine
 * or an operator would.
 */
public final class ServiceProcess implements AutoCloseable {

	private final Process process;

	private final Path log;

	private final int port;

	private ServiceProcess(Process process, Path log, int port) {
		this.process = process;
		this.log = log;
		this.port = port;
	}

	/** Starts the packaged jar and returns once it answers health, or fails. */
	public static ServiceProcess start(Path dataDirectory, String... extraArguments) {
		ServiceProcess service = launch(dataDirectory, extraArguments);
		service.awaitHealthy(Duration.ofSeconds(60));
		return service;
	}

	/** Starts the packaged jar without waiting for anything. */
	public static ServiceProcess launch(Path dataDirectory, String... extraArguments) {
		String jar = System.getProperty("spawn-telemetry.jar");
		if (jar == null || !Files.exists(Path.of(jar))) {
			throw new IllegalStateException("No packaged service at " + jar + "; run 'mvnw verify'");
		}
		int port = freePort();
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
						"-XX:+ExitOnOutOfMemoryError", "-jar", jar, "--server.port=" + port,
						"--telemetry.storage.dir=" + dataDirectory));
		command.addAll(List.of(extraArguments));
		try {
			Path log = Files.createTempFile("spawn-telemetry-process-", ".log");
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			return new ServiceProcess(process, log, port);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public int port() {
		return this.port;
	}

	public TestApi api() {
		return new TestApi(this.port);
	}

	public Process process() {
		return this.process;
	}

	public String output() {
		try {
			return Files.readString(this.log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** SIGKILL: no shutdown hook runs, nothing is flushed. */
	public void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor();
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
			kill();
		}
	}

	/** Returns once the service answers health, or fails after the timeout. */
	public void awaitHealthy(Duration timeout) {
		Instant deadline = Instant.now().plus(timeout);
		TestApi api = api();
		while (Instant.now().isBefore(deadline)) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("The service exited at start:\n" + output());
			}
			try {
				if (api.get("/actuator/health").status() == 200) {
					return;
				}
			}
			catch (UncheckedIOException ex) {
				// not listening yet
			}
			sleep(100);
		}
		this.process.destroyForcibly();
		throw new IllegalStateException("The service did not become healthy in " + timeout + ":\n" + output());
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
