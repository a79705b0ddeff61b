package dev.spawntelemetry.store.postgres;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.spawntelemetry.ServiceProcess;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database the packaged service cannot reach at start: what to do, not a stack trace.
 */
class UnreachableDatabaseIT {

	@TempDir
	Path dataDirectory;

	@Test
	void exitsSayingWhatToDoWhenTheDatabaseRefusesTheConnection() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/telemetry";

		ServiceProcess service = ServiceProcess.launch(this.dataDirectory, "--telemetry.storage.type=postgres",
				"--spring.datasource.url=" + url);

		assertThat(service.process().waitFor(90, TimeUnit.SECONDS)).isTrue();
		assertThat(service.process().exitValue()).isNotZero();
		assertThat(service.output())
			.contains("Cannot use the PostgreSQL database at " + url,
					"Start PostgreSQL there, or correct spring.datasource.url")
			.doesNotContain("\tat ")
			.doesNotContain("Exception encountered during context initialization");
	}

}
