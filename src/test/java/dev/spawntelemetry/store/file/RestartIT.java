package dev.spawntelemetry.store.file;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.spawntelemetry.RunningService;
import dev.spawntelemetry.TestApi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RestartIT {

	static final String ANCESTOR_FILE = """
			{
			  "version": "1.0",
			  "last_updated": "2026-02-01T10:00:00.000Z",
			  "models": {
			    "kimi-k2.5": {
			      "total_spawns": 40, "successful_completions": 30, "failed_completions": 6, "blocked": 2,
			      "by_caste": {
			        "builder": { "spawns": 25, "success": 20, "failures": 3, "blocked": 1 },
			        "watcher": { "spawns": 15, "success": 10, "failures": 3, "blocked": 1 }
			      }
			    },
			    "glm-5": {
			      "total_spawns": 10, "successful_completions": 3, "failed_completions": 1, "blocked": 0,
			      "by_caste": { "scout": { "spawns": 10, "success": 3, "failures": 1, "blocked": 0 } }
			    }
			  },
			  "routing_decisions": [
			    { "timestamp": "2026-02-01T09:00:00.000Z", "task": "map the repo", "caste": "scout",
			      "selected_model": "glm-5", "source": "caste-default" },
			    { "timestamp": "2026-02-01T09:30:00.000Z", "task": "fix the build", "caste": "builder",
			      "selected_model": "kimi-k2.5", "source": "task-based", "tokens": 1500,
			      "tools": { "read": 4, "grep": 2, "edit": 1, "bash": 3 }, "colony": "unknown fields are ignored" }
			  ]
			}
			""";

	@TempDir
	Path dataDirectory;

	@Test
	void readsBackExactlyWhatThePreviousRunWrote() {
		String stats;
		String spawns;
		String routing;
		String ranking;
		try (RunningService service = RunningService.start(this.dataDirectory)) {
			TestApi api = service.api();
			for (int i = 0; i < 30; i++) {
				String spawnId = api.recordSpawn((i % 2 == 0) ? "builder" : "scout",
						(i % 3 == 0) ? "kimi-k2.5" : "openrouter/anthropic/claude-sonnet-4.5", "task-based");
				if (i % 4 != 0) {
					api.recordOutcome(spawnId, (i % 4 == 1) ? "completed" : (i % 4 == 2) ? "failed" : "blocked");
				}
				if (i % 5 == 0) {
					api.post("/spawns/" + spawnId + "/usage",
							"{\"tokens\":" + (i * 100) + ",\"tools\":{\"edit\":" + i + "}}");
				}
			}
			stats = api.get("/stats").body();
			spawns = api.get("/spawns?limit=1000").body();
			routing = api.get("/stats/routing").body();
			ranking = api.get("/stats/ranking").body();
		}

		try (RunningService service = RunningService.start(this.dataDirectory)) {
			TestApi api = service.api();
			assertThat(api.get("/stats").json()).isEqualTo(TestApi.parse(stats));
			assertThat(api.get("/spawns?limit=1000").json()).isEqualTo(TestApi.parse(spawns));
			assertThat(api.get("/stats/routing").json()).isEqualTo(TestApi.parse(routing));
			assertThat(api.get("/stats/ranking").json()).isEqualTo(TestApi.parse(ranking));
			assertThat(api.get("/stats").json().get("total_spawns").asLong()).isEqualTo(30);
		}
	}

	@Test
	void loadsTheAncestorsFileWithItsTotals() throws IOException {
		Files.writeString(this.dataDirectory.resolve("telemetry.json"), ANCESTOR_FILE);
		List<String> legacyIds;

		try (RunningService service = RunningService.start(this.dataDirectory)) {
			TestApi api = service.api();
			JsonNode stats = api.get("/stats").json();
			assertThat(stats.get("total_spawns").asLong()).isEqualTo(50);
			assertThat(stats.get("total_models").asInt()).isEqualTo(2);
			JsonNode kimi = api.get("/stats/models/kimi-k2.5").json();
			assertThat(kimi.get("successful_completions").asLong()).isEqualTo(30);
			assertThat(kimi.get("failed_completions").asLong()).isEqualTo(6);
			assertThat(kimi.get("blocked").asLong()).isEqualTo(2);
			assertThat(kimi.get("success_rate").asDouble()).isEqualTo(0.75);
			assertThat(kimi.get("by_caste").get("watcher").get("spawns").asLong()).isEqualTo(15);

			JsonNode spawns = api.get("/spawns").json().get("spawns");
			assertThat(spawns.size()).isEqualTo(2);
			JsonNode newest = spawns.get(0);
			assertThat(newest.get("task").asString()).isEqualTo("fix the build");
			assertThat(newest.get("tokens").asLong()).isEqualTo(1500);
			assertThat(newest.get("tools").get("bash").asLong()).isEqualTo(3);
			assertThat(newest.get("outcome").isNull()).isTrue();
			legacyIds = spawns.valueStream().map((spawn) -> spawn.get("spawn_id").asString()).toList();
			assertThat(legacyIds).allSatisfy((id) -> assertThat(id).matches("[A-Za-z0-9._:-]{1,64}"));
		}

		try (RunningService service = RunningService.start(this.dataDirectory)) {
			TestApi api = service.api();
			assertThat(api.get("/spawns").json().get("spawns").valueStream().map((s) -> s.get("spawn_id").asString()))
				.containsExactlyElementsOf(legacyIds);
			api.recordOutcome(legacyIds.get(0), "completed");
			assertThat(api.get("/stats/models/kimi-k2.5").json().get("successful_completions").asLong()).isEqualTo(31);
		}
	}

	@Test
	void quarantinesAnUnreadableFileByteForByteAndStarts() throws IOException {
		byte[] corrupt = "{\"models\": {\"kimi\": {\"total_spawns\": 3}}, \"routing_decisions\": [tru"
			.getBytes(StandardCharsets.UTF_8);
		Path file = this.dataDirectory.resolve("telemetry.json");
		Files.write(file, corrupt);

		try (RunningService service = RunningService.start(this.dataDirectory,
				"--telemetry.security.write-token=operator")) {
			TestApi api = service.api().withToken("operator");
			assertThat(service.api().get("/actuator/health").json().has("components"))
				.as("details only for holders of a token")
				.isFalse();
			List<Path> quarantined = quarantinedFiles();
			assertThat(quarantined).hasSize(1);
			assertThat(Files.readAllBytes(quarantined.get(0))).isEqualTo(corrupt);
			assertThat(file).doesNotExist();

			JsonNode storage = api.get("/actuator/health").json().get("components").get("storage");
			assertThat(storage.get("status").asString()).isEqualTo("UP");
			assertThat(storage.get("details").get("quarantined").get(0).asString())
				.isEqualTo(quarantined.get(0).toString());

			assertThat(api.get("/stats").json().get("total_spawns").asLong()).isZero();
			api.recordSpawn("builder", "kimi-k2.5", "task-based");
			assertThat(Files.readAllBytes(quarantined.get(0))).isEqualTo(corrupt);
		}
	}

	@Test
	void quarantinesJsonThatIsNotTelemetry() throws IOException {
		Files.writeString(this.dataDirectory.resolve("telemetry.json"), "{\"models\": {}}");

		try (RunningService service = RunningService.start(this.dataDirectory)) {
			assertThat(quarantinedFiles()).hasSize(1);
			assertThat(Files.readString(quarantinedFiles().get(0))).isEqualTo("{\"models\": {}}");
			assertThat(service.api().get("/stats").status()).isEqualTo(200);
		}
	}

	@Test
	void ignoresAndRemovesTheTempFileOfAnInterruptedPersist() throws IOException {
		try (RunningService service = RunningService.start(this.dataDirectory)) {
			service.api().recordSpawn("builder", "kimi-k2.5", "task-based");
		}
		Files.writeString(this.dataDirectory.resolve("telemetry.json.tmp"), "{\"models\": {\"half-writ");

		try (RunningService service = RunningService.start(this.dataDirectory)) {
			assertThat(service.api().get("/stats").json().get("total_spawns").asLong()).isEqualTo(1);
			assertThat(this.dataDirectory.resolve("telemetry.json.tmp")).doesNotExist();
			assertThat(quarantinedFiles()).isEmpty();
		}
	}

	@Test
	void refusesASecondServiceOnTheSameDirectory() {
		try (RunningService service = RunningService.start(this.dataDirectory)) {
			assertThatThrownBy(() -> RunningService.start(this.dataDirectory).close())
				.hasRootCauseInstanceOf(DataDirectory.InUseException.class)
				.rootCause()
				.hasMessageContaining(this.dataDirectory.toString());
			assertThat(service.api().get("/stats").status()).isEqualTo(200);
		}
	}

	private List<Path> quarantinedFiles() throws IOException {
		try (Stream<Path> files = Files.list(this.dataDirectory)) {
			return files.filter((path) -> path.getFileName().toString().startsWith("telemetry.json.corrupt-")).toList();
		}
	}

}
