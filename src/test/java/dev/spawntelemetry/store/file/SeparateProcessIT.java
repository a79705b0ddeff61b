package dev.spawntelemetry.store.file;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.spawntelemetry.ServiceProcess;
import dev.spawntelemetry.TestApi;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged service in JVMs of its own: what survives a kill, and who may hold a data
 * directory.
 */
class SeparateProcessIT {

	@TempDir
	Path dataDirectory;

	@Test
	void keepsEveryAcknowledgedWriteThroughSigkill() throws Exception {
		String spawnId;
		try (ServiceProcess service = ServiceProcess.start(this.dataDirectory)) {
			TestApi api = service.api();
			for (int i = 0; i < 20; i++) {
				api.recordSpawn("builder", "kimi-k2.5", "task-based");
			}
			spawnId = api.recordSpawn("scout", "glm-5", "user-override");
			api.recordOutcome(spawnId, "failed");
			service.kill();
		}

		try (ServiceProcess service = ServiceProcess.start(this.dataDirectory)) {
			TestApi api = service.api();
			assertThat(api.get("/stats").json().get("total_spawns").asLong()).isEqualTo(21);
			assertThat(api.get("/spawns/" + spawnId).json().get("outcome").asString()).isEqualTo("failed");
			assertThat(api.get("/stats/models/glm-5").json().get("failed_completions").asLong()).isEqualTo(1);
		}
	}

	@Test
	void refusesToStartOnAFileOfANewerVersionAndLeavesItUntouched() throws Exception {
		Path file = this.dataDirectory.resolve("telemetry.json");
		byte[] newer = """
				{"version":"1.7","last_updated":"2026-11-30T00:00:00Z","added_in_1_2":{"kept":true},
				 "models":{"glm-5":{"total_spawns":1,"successful_completions":0,"failed_completions":0,"blocked":0}},
				 "routing_decisions":[{"timestamp":"2026-11-30T00:00:00Z","selected_model":"glm-5","spawn_id":"a"}]}
				""".getBytes(java.nio.charset.StandardCharsets.UTF_8);
		Files.write(file, newer);

		ServiceProcess service = ServiceProcess.launch(this.dataDirectory);

		assertThat(service.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(service.process().exitValue()).isNotZero();
		assertThat(service.output()).contains("The telemetry file " + file + " has format version 1.7",
				"newer than the version 1.6 this build");
		assertThat(Files.readAllBytes(file)).isEqualTo(newer);
		try (var files = Files.list(this.dataDirectory)) {
			assertThat(files.map((each) -> each.getFileName().toString()))
				.noneMatch((name) -> name.contains("corrupt"));
		}
	}

	@Test
	void refusesADataDirectoryThatIsAFileSayingWhatToDo() throws Exception {
		Path notADirectory = Files.writeString(this.dataDirectory.resolve("a-file"), "not a directory");

		ServiceProcess service = ServiceProcess.launch(notADirectory);

		assertThat(service.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(service.process().exitValue()).isNotZero();
		assertThat(service.output()).contains(
				"The data directory " + notADirectory + " cannot be used: it exists and is not a directory",
				"Point telemetry.storage.dir");
		assertThat(service.output()).doesNotContain("at dev.spawntelemetry.");
		assertThat(Files.readString(notADirectory)).isEqualTo("not a directory");
	}

	@Test
	void secondInstanceOnTheSameDirectoryExitsNamingIt() throws Exception {
		try (ServiceProcess first = ServiceProcess.start(this.dataDirectory)) {
			ServiceProcess second = ServiceProcess.launch(this.dataDirectory);

			assertThat(second.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
			assertThat(second.process().exitValue()).isNotZero();
			assertThat(second.output()).contains("The data directory " + this.dataDirectory + " is in use");
			assertThat(first.api().get("/actuator/health").status()).isEqualTo(200);
		}
		assertThat(Files.exists(this.dataDirectory.resolve("telemetry.json.tmp"))).isFalse();
	}

}
