package dev.spawntelemetry;

import java.nio.file.Path;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole service started on a data directory and stopped on demand, for tests that
 * restart it on the same directory.
 */
public final class RunningService implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private final int port;

	private RunningService(ConfigurableApplicationContext context) {
		this.context = context;
		this.port = Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
	}

	public static RunningService start(Path dataDirectory, String... extraArguments) {
		String[] arguments = new String[extraArguments.length + 2];
		arguments[0] = "--server.port=0";
		arguments[1] = "--telemetry.storage.dir=" + dataDirectory;
		System.arraycopy(extraArguments, 0, arguments, 2, extraArguments.length);
		return new RunningService(new SpringApplicationBuilder(SpawnTelemetryApplication.class).run(arguments));
	}

	public TestApi api() {
		return new TestApi(this.port);
	}

	public int port() {
		return this.port;
	}

	public <T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	@Override
	public void close() {
		this.context.close();
	}

}
