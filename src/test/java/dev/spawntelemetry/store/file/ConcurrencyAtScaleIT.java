package dev.spawntelemetry.store.file;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.spawntelemetry.Json;
import dev.spawntelemetry.RunningService;
import dev.spawntelemetry.TestApi;
import dev.spawntelemetry.TestApi.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 64 clients × 200 spawns, every other one completed: exact totals, exact per-caste
 * counters, and the file read back after a restart equals what was served before it.
 */
class ConcurrencyAtScaleIT {

	static final int CLIENTS = 64;

	static final int SPAWNS_PER_CLIENT = 200;

	@TempDir
	Path dataDirectory;

	/**
	 * Sends a write again when its connection was lost before any answer, as a spawner
	 * would: 64 clients on a busy machine meet closed keep-alive connections. The writes
	 * carry their spawn ids, so a retry is never counted twice.
	 */
	private static Response retried(Supplier<Response> write) {
		for (int attempt = 1;; attempt++) {
			try {
				return write.get();
			}
			catch (UncheckedIOException ex) {
				if (attempt == 5) {
					throw ex;
				}
			}
		}
	}

	@Test
	void countsExactlyAndReadsBackTheSameAfterRestart() throws Exception {
		String stats;
		String decisions;
		try (RunningService service = RunningService.start(this.dataDirectory)) {
			TestApi api = service.api();
			ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
			try {
				List<Future<?>> done = new ArrayList<>();
				for (int c = 0; c < CLIENTS; c++) {
					int client = c;
					done.add(clients.submit(() -> {
						for (int i = 0; i < SPAWNS_PER_CLIENT; i++) {
							String spawnId = "c" + client + "-" + i;
							String spawn = Json.object("spawn_id", spawnId, "task", "t", "caste", "caste-" + (i % 8),
									"model", "model-" + (client % 4), "source", "task-based");
							assertThat(retried(() -> api.post("/spawns", spawn)).status()).isIn(200, 201);
							if (i % 2 == 0) {
								assertThat(retried(
										() -> api.put("/spawns/" + spawnId + "/outcome", "{\"outcome\":\"completed\"}"))
									.status()).isEqualTo(200);
							}
						}
						return null;
					}));
				}
				for (Future<?> client : done) {
					client.get();
				}
			}
			finally {
				clients.shutdownNow();
			}
			JsonNode summary = api.get("/stats").json();
			assertThat(summary.get("total_spawns").asLong()).isEqualTo(CLIENTS * SPAWNS_PER_CLIENT);
			for (int m = 0; m < 4; m++) {
				JsonNode model = summary.get("models").get("model-" + m);
				assertThat(model.get("total_spawns").asLong()).isEqualTo(3200);
				assertThat(model.get("successful_completions").asLong()).isEqualTo(1600);
				for (int c = 0; c < 8; c++) {
					JsonNode caste = model.get("by_caste").get("caste-" + c);
					assertThat(caste.get("spawns").asLong()).isEqualTo(400);
					assertThat(caste.get("success").asLong()).isEqualTo((c % 2 == 0) ? 400 : 0);
				}
			}
			stats = api.get("/stats").body();
			decisions = api.get("/spawns?limit=1000").body();
		}

		JsonNode file = TestApi.parse(Files.readString(this.dataDirectory.resolve("telemetry.json")));
		try (RunningService service = RunningService.start(this.dataDirectory)) {
			TestApi api = service.api();
			JsonNode statsAfter = api.get("/stats").json();
			assertThat(statsAfter).isEqualTo(TestApi.parse(stats));
			assertThat(api.get("/spawns?limit=1000").json()).isEqualTo(TestApi.parse(decisions));
			file.get("models").properties().forEach((model) -> {
				JsonNode served = statsAfter.get("models").get(model.getKey());
				assertThat(served.get("total_spawns")).isEqualTo(model.getValue().get("total_spawns"));
				assertThat(served.get("successful_completions"))
					.isEqualTo(model.getValue().get("successful_completions"));
			});
		}
	}

}
