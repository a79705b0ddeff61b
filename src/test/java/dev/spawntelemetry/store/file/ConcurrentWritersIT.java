package dev.spawntelemetry.store.file;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.spawntelemetry.ServiceTest;
import dev.spawntelemetry.TestApi;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

@ServiceTest
class ConcurrentWritersIT {

	static final int THREADS = 32;

	static final int SPAWNS_PER_THREAD = 50;

	static final String[] OUTCOMES = { "completed", "failed", "blocked" };

	@Autowired
	TestApi api;

	@Autowired
	FileStorageProperties storage;

	@Test
	void losesNoUpdateUnderConcurrentWriters() throws Exception {
		ExecutorService clients = Executors.newFixedThreadPool(THREADS);
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int t = 0; t < THREADS; t++) {
				int thread = t;
				done.add(clients.submit(() -> {
					for (int i = 0; i < SPAWNS_PER_THREAD; i++) {
						String spawnId = api.recordSpawn("caste-" + (thread % 4), "model-" + (i % 2), "task-based");
						api.recordOutcome(spawnId, OUTCOMES[i % 3]);
					}
					return null;
				}));
			}
			for (Future<?> future : done) {
				future.get();
			}
		}
		finally {
			clients.shutdownNow();
		}

		JsonNode stats = api.get("/stats").json();
		assertThat(stats.get("total_spawns").asLong()).isEqualTo(THREADS * SPAWNS_PER_THREAD);
		for (int m = 0; m < 2; m++) {
			JsonNode model = api.get("/stats/models/model-" + m).json();
			long spawns = THREADS * SPAWNS_PER_THREAD / 2;
			assertThat(model.get("total_spawns").asLong()).isEqualTo(spawns);
			long completed = model.get("successful_completions").asLong();
			long failed = model.get("failed_completions").asLong();
			long blocked = model.get("blocked").asLong();
			assertThat(completed + failed + blocked).isEqualTo(spawns);
			for (int c = 0; c < 4; c++) {
				JsonNode caste = model.get("by_caste").get("caste-" + c);
				assertThat(caste.get("spawns").asLong()).isEqualTo(spawns / 4);
				assertThat(
						caste.get("success").asLong() + caste.get("failures").asLong() + caste.get("blocked").asLong())
					.isEqualTo(spawns / 4);
			}
		}
		// each thread's i runs 0..49: outcome i%3 and model i%2 fix the exact split
		long completedOnModel0 = countOf(0, 0);
		assertThat(api.get("/stats/models/model-0").json().get("successful_completions").asLong())
			.isEqualTo(completedOnModel0 * THREADS);

		JsonNode file = TestApi.parse(DurableState.json(this.storage.file()));
		long fileTotal = 0;
		for (JsonNode model : file.get("models")) {
			fileTotal += model.get("total_spawns").asLong();
		}
		assertThat(fileTotal).isEqualTo(THREADS * SPAWNS_PER_THREAD);
		assertThat(file.get("routing_decisions").size()).isEqualTo(1000);
	}

	private static long countOf(int model, int outcome) {
		long count = 0;
		for (int i = 0; i < SPAWNS_PER_THREAD; i++) {
			if (i % 2 == model && i % 3 == outcome) {
				count++;
			}
		}
		return count;
	}

}
