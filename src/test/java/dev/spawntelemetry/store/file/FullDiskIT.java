package dev.spawntelemetry.store.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.spawntelemetry.ServiceProcess;
import dev.spawntelemetry.TestApi;
import dev.spawntelemetry.TestApi.Response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged service on a real file system that fills up: whichever persist meets the
 * full disk (the first write of a new directory, a write while a background checkpoint
 * fails, the checkpoint recovery makes at start), writes are answered
 * {@code 503 storage-unavailable} with {@code Retry-After}, storage health and readiness
 * turn DOWN, no temp file is left, and everything recovers without a restart once space
 * returns.
 */
class FullDiskIT {

	static final String TOKEN = "full-disk-token";

	static final Duration DEADLINE = Duration.ofMinutes(2);

	@TempDir
	Path mountPoint;

	FullDisk disk;

	Path data;

	@BeforeEach
	void mountASmallFileSystem() throws IOException {
		// above the 10 MB under which Spring Boot's disk space health turns DOWN
		this.disk = FullDisk.mount(this.mountPoint, 16);
		this.data = Files.createDirectories(this.disk.path().resolve("data"));
	}

	@AfterEach
	void unmount() {
		if (this.disk != null) {
			this.disk.close();
		}
	}

	@Test
	void refusesTheFirstWriteOfANewDirectoryOnAFullDiskAndTakesWritesOnceSpaceReturns() throws Exception {
		// the first persist of a directory is a checkpoint, written by the JSON library
		this.disk.fill();
		try (ServiceProcess service = ServiceProcess.launch(this.data, "--telemetry.security.write-token=" + TOKEN)) {
			TestApi api = service.api().withToken(TOKEN);
			awaitAnswering(service, api);

			assertStorageUnavailable(api.post("/spawns", spawn("first")));
			assertDown(api, "telemetry.json");
			assertNoTempFile();

			this.disk.free();
			assertThat(api.post("/spawns", spawn("first")).status()).isEqualTo(201);
			assertUp(api);
			assertThat(api.get("/stats").json().get("total_spawns").asLong()).isEqualTo(1);
		}
	}

	@Test
	void refusesWritesWhileCheckpointsFindTheDiskFullAndTakesThemOnceSpaceReturns() throws Exception {
		List<String> acknowledged = new ArrayList<>();
		try (ServiceProcess service = ServiceProcess.start(this.data, "--telemetry.security.write-token=" + TOKEN,
				"--telemetry.storage.checkpoint-after=1KB")) {
			TestApi api = service.api().withToken(TOKEN);
			for (int i = 0; i < 5; i++) {
				acknowledge(api, "before-" + i, acknowledged);
			}
			this.disk.fill();
			Response refused = null;
			for (int i = 0; i < 200 && refused == null; i++) {
				Response answer = api.post("/spawns", spawn("full-" + i));
				assertThat(answer.status()).as(answer.body()).isIn(201, 503);
				if (answer.status() == 201) {
					acknowledged.add("full-" + i);
				}
				else {
					refused = answer;
				}
			}
			assertThat(refused).as("a write refused on the full disk").isNotNull();
			assertStorageUnavailable(refused);
			assertDown(api, null);
			await("a checkpoint failing on the full disk").atMost(DEADLINE)
				.until(() -> storage(api).path("details").has("checkpointFailed"));
			assertNoTempFile();

			this.disk.free();
			for (int i = 0; i < 5; i++) {
				acknowledge(api, "after-" + i, acknowledged);
			}
			assertUp(api);
			await("a checkpoint succeeding again").atMost(DEADLINE)
				.until(() -> !storage(api).path("details").has("checkpointFailed"));
			assertThat(api.get("/stats").json().get("total_spawns").asLong()).isEqualTo(acknowledged.size());
			service.kill();
		}
		try (ServiceProcess service = ServiceProcess.start(this.data)) {
			assertThat(service.api().get("/stats").json().get("total_spawns").asLong())
				.as("every acknowledged spawn once, after SIGKILL")
				.isEqualTo(acknowledged.size());
		}
	}

	@Test
	void startsWhenTheCheckpointOfRecoveryFindsTheDiskFullAndTakesWritesOnceSpaceReturns() throws Exception {
		List<String> acknowledged = new ArrayList<>();
		try (ServiceProcess service = ServiceProcess.start(this.data)) {
			for (int i = 0; i < 5; i++) {
				acknowledge(service.api(), "before-" + i, acknowledged);
			}
			service.kill();
		}
		// a checkpoint cut short by the crash: recovery must make the state durable in a
		// checkpoint before any batch follows
		Files.move(this.data.resolve(JsonFileStore.JOURNAL), this.data.resolve(JsonFileStore.SEALED_JOURNAL),
				StandardCopyOption.ATOMIC_MOVE);
		this.disk.fill();
		try (ServiceProcess service = ServiceProcess.launch(this.data, "--telemetry.security.write-token=" + TOKEN)) {
			TestApi api = service.api().withToken(TOKEN);
			awaitAnswering(service, api);
			assertDown(api, "not durable yet");
			assertThat(api.get("/stats").json().get("total_spawns").asLong()).as("the state recovered").isEqualTo(5);
			assertStorageUnavailable(api.post("/spawns", spawn("refused")));
			assertNoTempFile();
			service.kill();
		}
		try (ServiceProcess service = ServiceProcess.launch(this.data, "--telemetry.security.write-token=" + TOKEN)) {
			TestApi api = service.api().withToken(TOKEN);
			awaitAnswering(service, api);
			assertDown(api, "not durable yet");

			this.disk.free();
			await("storage UP once the checkpoint, tried again while idle, succeeds").atMost(DEADLINE)
				.until(() -> api.get("/actuator/health/readiness").status() == 200);
			assertThat(Files.exists(this.data.resolve(JsonFileStore.SEALED_JOURNAL))).isFalse();
			acknowledge(api, "after", acknowledged);
			assertUp(api);
			service.kill();
		}
		try (ServiceProcess service = ServiceProcess.start(this.data)) {
			assertThat(service.api().get("/stats").json().get("total_spawns").asLong()).isEqualTo(acknowledged.size());
			assertThat(service.api().get("/spawns/refused").status()).isEqualTo(404);
		}
	}

	/**
	 * The whole health is DOWN on a full disk (Spring Boot's disk space check): liveness.
	 */
	private static void awaitAnswering(ServiceProcess service, TestApi api) {
		await("the service answering").atMost(DEADLINE).ignoreExceptions().until(() -> {
			assertThat(service.process().isAlive()).as(service::output).isTrue();
			return api.get("/actuator/health/liveness").status() == 200;
		});
	}

	private static String spawn(String spawnId) {
		return "{\"caste\":\"builder\",\"model\":\"kimi-k2.5\",\"spawn_id\":\"" + spawnId + "\"}";
	}

	private static void acknowledge(TestApi api, String spawnId, List<String> acknowledged) {
		Response answer = api.post("/spawns", spawn(spawnId));
		assertThat(answer.status()).as(answer.body()).isEqualTo(201);
		acknowledged.add(spawnId);
	}

	private static void assertStorageUnavailable(Response answer) {
		assertThat(answer.status()).as(answer.body()).isEqualTo(503);
		assertThat(answer.header("Retry-After")).isNotBlank();
		assertThat(answer.contentType()).startsWith("application/problem+json");
		assertThat(answer.json().get("type").asString()).isEqualTo("urn:spawn-telemetry:problem:storage-unavailable");
	}

	private static void assertDown(TestApi api, String errorMentions) {
		assertThat(api.get("/actuator/health").status()).isEqualTo(503);
		assertThat(api.get("/actuator/health/readiness").status()).isEqualTo(503);
		JsonNode storage = storage(api);
		assertThat(storage.get("status").asString()).isEqualTo("DOWN");
		if (errorMentions != null) {
			assertThat(storage.get("details").get("error").asString()).contains(errorMentions);
		}
	}

	private static void assertUp(TestApi api) {
		assertThat(storage(api).get("status").asString()).isEqualTo("UP");
		assertThat(api.get("/actuator/health").status()).isEqualTo(200);
		assertThat(api.get("/actuator/health/readiness").status()).isEqualTo(200);
	}

	private static JsonNode storage(TestApi api) {
		return api.get("/actuator/health").json().get("components").get("storage");
	}

	private void assertNoTempFile() {
		try (Stream<Path> files = Files.list(this.data)) {
			assertThat(files.map((file) -> file.getFileName().toString())).noneMatch((name) -> name.endsWith(".tmp"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
