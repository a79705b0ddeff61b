package dev.spawntelemetry.store.file;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.spawntelemetry.ServiceProcess;
import dev.spawntelemetry.TestApi;
import dev.spawntelemetry.TestApi.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged service with a log of 5: round after round, the oldest spawn of the full
 * log is retried, ended and given usage in one burst with a dozen new spawns, so that it
 * rotates out while the writes of its burst are committed. Every answer is the truth (no
 * retry counted again, no 404), and the counts are the same after SIGKILL and restart.
 */
class RotationInABatchIT {

	static final int ROUNDS = 25;

	static final int NEW_PER_ROUND = 12;

	@TempDir
	Path dataDirectory;

	@Test
	void countsEverySpawnOnceAndFindsTheOldestForEveryWriteOfItsBurst() throws Exception {
		List<String> oldest = new ArrayList<>();
		long expectedSpawns;
		try (ServiceProcess service = ServiceProcess.start(this.dataDirectory, "--telemetry.storage.max-decisions=5")) {
			TestApi api = service.api();
			List<String> log = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				assertThat(api.post("/spawns", spawn("first-" + i)).status()).isEqualTo(201);
				log.add("first-" + i);
			}
			for (int round = 0; round < ROUNDS; round++) {
				String target = log.get(log.size() - 5);
				oldest.add(target);
				List<CompletableFuture<Response>> fresh = new ArrayList<>();
				for (int i = 0; i < NEW_PER_ROUND / 2; i++) {
					fresh.add(api.postAsync("/spawns", spawn("r" + round + "-" + i)));
				}
				CompletableFuture<Response> retry = api.postAsync("/spawns", spawn(target));
				CompletableFuture<Response> outcome = CompletableFuture.supplyAsync(
						() -> api.put("/spawns/" + target + "/outcome", "{\"outcome\":\"completed\",\"tokens\":5}"));
				for (int i = NEW_PER_ROUND / 2; i < NEW_PER_ROUND; i++) {
					fresh.add(api.postAsync("/spawns", spawn("r" + round + "-" + i)));
				}
				CompletableFuture<Response> usage = CompletableFuture
					.supplyAsync(() -> api.send("POST", "/spawns/" + target + "/usage", "{\"tokens\":7}",
							Map.of("Content-Type", "application/json", "Idempotency-Key", "report-" + target)));
				for (CompletableFuture<Response> created : fresh) {
					assertThat(created.join().status()).as(created.join().body()).isEqualTo(201);
				}
				assertThat(retry.join().status()).as("a retry of " + target + ": " + retry.join().body())
					.isEqualTo(200);
				assertThat(outcome.join().status()).as("the outcome of " + target + ": " + outcome.join().body())
					.isEqualTo(200);
				assertThat(usage.join().status()).as("usage of " + target + ": " + usage.join().body()).isEqualTo(200);
				for (int i = 0; i < NEW_PER_ROUND; i++) {
					log.add("r" + round + "-" + i);
				}
			}
			expectedSpawns = 5 + (long) ROUNDS * NEW_PER_ROUND;
			assertCounts(api, expectedSpawns, "before the kill");
			service.kill();
		}
		try (ServiceProcess service = ServiceProcess.start(this.dataDirectory, "--telemetry.storage.max-decisions=5")) {
			assertCounts(service.api(), expectedSpawns, "after SIGKILL and restart");
			for (String spawnId : oldest) {
				Response again = service.api().post("/spawns", spawn(spawnId));
				assertThat(again.status()).as("a retry of " + spawnId + " after the restart").isEqualTo(200);
				assertThat(again.json().get("outcome").asString()).isEqualTo("completed");
				assertThat(again.json().get("tokens").asLong()).isEqualTo(12);
			}
			assertCounts(service.api(), expectedSpawns, "after retrying every target");
		}
	}

	private static void assertCounts(TestApi api, long spawns, String when) {
		JsonNode model = api.get("/stats").json().get("models").get("kimi-k2.5");
		assertThat(model.get("total_spawns").asLong()).as(when).isEqualTo(spawns);
		assertThat(model.get("successful_completions").asLong()).as(when).isEqualTo(ROUNDS);
		assertThat(model.get("tokens").asLong()).as(when).isEqualTo(ROUNDS * 12L);
	}

	private static String spawn(String spawnId) {
		return "{\"task\":\"t\",\"caste\":\"builder\",\"model\":\"kimi-k2.5\",\"spawn_id\":\"" + spawnId
				+ "\",\"timestamp\":\"2026-12-01T00:00:00Z\"}";
	}

}
