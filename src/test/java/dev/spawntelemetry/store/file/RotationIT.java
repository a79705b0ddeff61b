package dev.spawntelemetry.store.file;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.spawntelemetry.ServiceTest;
import dev.spawntelemetry.TestApi;
import dev.spawntelemetry.telemetry.DecisionLogProperties;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

@ServiceTest
class RotationIT {

	@Autowired
	TestApi api;

	@Autowired
	FileStorageProperties storage;

	@Autowired
	DecisionLogProperties log;

	@Test
	void rotatesOutTheOldestDecisionAtExactlyMaxDecisionsWhileAggregatesCountAll() throws Exception {
		assertThat(this.log.maxDecisions()).isEqualTo(1000);
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 1000; i++) {
			ids.add(api.recordSpawn("builder", "kimi-k2.5", "task-based"));
		}
		assertThat(api.get("/spawns/" + ids.get(0)).status()).isEqualTo(200);
		assertThat(decisionsInFile()).isEqualTo(1000);

		ids.add(api.recordSpawn("builder", "kimi-k2.5", "task-based"));

		assertThat(api.get("/spawns/" + ids.get(0)).status()).isEqualTo(404);
		// out of the log, still kept for the retention: its outcome counts
		assertThat(api.put("/spawns/" + ids.get(0) + "/outcome", "{\"outcome\":\"completed\"}").status())
			.isEqualTo(200);
		assertThat(api.get("/stats/models/kimi-k2.5").json().get("successful_completions").asLong()).isEqualTo(1);
		assertThat(api.get("/spawns/" + ids.get(1)).status()).isEqualTo(200);
		assertThat(api.get("/spawns?limit=1000").json().get("spawns").size()).isEqualTo(1000);
		assertThat(api.get("/stats/routing").json().get("total_decisions").asInt()).isEqualTo(1000);
		assertThat(api.get("/stats").json().get("total_spawns").asLong()).isEqualTo(1001);
		assertThat(api.get("/stats/models/kimi-k2.5").json().get("by_caste").get("builder").get("spawns").asLong())
			.isEqualTo(1001);
		assertThat(decisionsInFile()).isEqualTo(1000);
		JsonNode file = TestApi.parse(DurableState.json(this.storage.file()));
		assertThat(file.get("routing_decisions").get(0).get("spawn_id").asString()).isEqualTo(ids.get(1));
		assertThat(file.get("models").get("kimi-k2.5").get("total_spawns").asLong()).isEqualTo(1001);
	}

	private int decisionsInFile() throws Exception {
		return DurableState.of(this.storage.file()).decisions().size();
	}

}
