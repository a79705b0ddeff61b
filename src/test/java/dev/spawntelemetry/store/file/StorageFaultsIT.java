package dev.spawntelemetry.store.file;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.spawntelemetry.ServiceTest;
import dev.spawntelemetry.TestApi;
import dev.spawntelemetry.TestApi.Response;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The disk refuses writes while the service runs: writes fail visibly and roll back,
 * health goes DOWN, and both recover without a restart once the disk accepts writes
 * again.
 */
@ServiceTest(properties = "telemetry.security.write-token=" + StorageFaultsIT.TOKEN)
class StorageFaultsIT {

	static final String TOKEN = "storage-faults-token";

	@Autowired
	TestApi api;

	@Autowired
	FileStorageProperties storage;

	@Test
	void answersFailedPersistWith503RollsBackAndRecovers() throws Exception {
		// health shows its details only to holders of a token
		TestApi api = this.api.withToken(TOKEN);
		String kept = api.recordSpawn("builder", "kimi-k2.5", "task-based");
		String durableBefore = DurableState.json(this.storage.file());
		TempFileObstacle obstacle = TempFileObstacle.in(this.storage.dir());

		Response failedSpawn = api.post("/spawns",
				"{\"caste\":\"builder\",\"model\":\"kimi-k2.5\",\"spawn_id\":\"lost\"}");
		Response failedOutcome = api.put("/spawns/" + kept + "/outcome", "{\"outcome\":\"completed\"}");

		for (Response failed : new Response[] { failedSpawn, failedOutcome }) {
			assertThat(failed.status()).isEqualTo(503);
			assertThat(failed.header("Retry-After")).isNotBlank();
			assertThat(failed.contentType()).startsWith("application/problem+json");
			assertThat(failed.json().get("type").asString())
				.isEqualTo("urn:spawn-telemetry:problem:storage-unavailable");
		}
		assertThat(api.get("/spawns/lost").status()).isEqualTo(404);
		assertThat(api.get("/spawns/" + kept).json().get("outcome").isNull()).isTrue();
		assertThat(api.get("/stats").json().get("total_spawns").asLong()).isEqualTo(1);
		Response health = api.get("/actuator/health");
		assertThat(health.status()).isEqualTo(503);
		JsonNode storageHealth = health.json().get("components").get("storage");
		assertThat(storageHealth.get("status").asString()).isEqualTo("DOWN");
		assertThat(storageHealth.get("details").get("error").asString()).contains("telemetry.json");

		obstacle.close();
		assertThat(DurableState.json(this.storage.file())).as("nothing of the refused writes").isEqualTo(durableBefore);

		assertThat(
				api.post("/spawns", "{\"caste\":\"builder\",\"model\":\"kimi-k2.5\",\"spawn_id\":\"lost\"}").status())
			.isEqualTo(201);
		api.recordOutcome(kept, "completed");
		assertThat(api.get("/actuator/health").status()).isEqualTo(200);
		assertThat(api.get("/stats").json().get("total_spawns").asLong()).isEqualTo(2);
		JsonNode file = TestApi.parse(DurableState.json(this.storage.file()));
		assertThat(file.get("models").get("kimi-k2.5").get("successful_completions").asLong()).isEqualTo(1);
	}

}
