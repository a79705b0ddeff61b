package dev.spawntelemetry.spawn;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.spawntelemetry.ServiceTest;
import dev.spawntelemetry.TestApi;
import dev.spawntelemetry.TestApi.Response;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

@ServiceTest
class SpawnApiIT {

	@Autowired
	TestApi api;

	/** Each test works on a model of its own (JUnit makes an instance per test). */
	final String model = "model-" + UUID.randomUUID();

	@Test
	void recordsSpawnWithServerMadeTimeOrderedId() {
		Response response = this.api.post("/spawns", """
				{"task":"build the parser","caste":"builder","model":"%s","source":"task-based"}
				""".formatted(this.model));

		assertThat(response.status()).isEqualTo(201);
		JsonNode spawn = response.json();
		String spawnId = spawn.get("spawn_id").asString();
		assertThat(UUID.fromString(spawnId).version()).isEqualTo(7);
		assertThat(response.header("Location")).isEqualTo("/spawns/" + spawnId);
		assertThat(spawn.get("task").asString()).isEqualTo("build the parser");
		assertThat(spawn.get("caste").asString()).isEqualTo("builder");
		assertThat(spawn.get("selected_model").asString()).isEqualTo(this.model);
		assertThat(spawn.get("source").asString()).isEqualTo("task-based");
		assertThat(spawn.get("outcome").isNull()).isTrue();
		assertThat(spawn.get("completed_at").isNull()).isTrue();
		assertThat(spawn.get("tokens").asLong()).isZero();
		assertThat(spawn.get("tools").toString()).isEqualTo("{\"read\":0,\"grep\":0,\"edit\":0,\"bash\":0}");
		assertThat(this.api.get("/spawns/" + spawnId).json()).isEqualTo(spawn);
	}

	@Test
	void fillsAbsentNamesWithDefaultsInLogAndAggregates() {
		Response response = this.api.post("/spawns", "{\"caste\":null}");

		assertThat(response.status()).isEqualTo(201);
		JsonNode spawn = response.json();
		assertThat(spawn.get("task").asString()).isEqualTo("unknown");
		assertThat(spawn.get("caste").asString()).isEqualTo("unknown");
		assertThat(spawn.get("selected_model").asString()).isEqualTo("default");
		assertThat(spawn.get("source").asString()).isEqualTo("caste-default");
		JsonNode stats = this.api.get("/stats/models/default").json();
		assertThat(stats.get("by_caste").has("unknown")).isTrue();
	}

	@Test
	void keepsClientTimestampAndId() {
		Response response = this.api.post("/spawns", """
				{"caste":"scout","model":"%s","timestamp":"2026-01-02T03:04:05.678+01:00","spawn_id":"colony-7:scout.1"}
				""".formatted(this.model));

		assertThat(response.status()).isEqualTo(201);
		assertThat(response.json().get("timestamp").asString()).isEqualTo("2026-01-02T02:04:05.678Z");
		assertThat(response.json().get("spawn_id").asString()).isEqualTo("colony-7:scout.1");
	}

	@Test
	void countsRetriedSpawnOnce() {
		String body = """
				{"task":"t","caste":"watcher","model":"%s","source":"user-override","spawn_id":"retry-%s"}
				""".formatted(this.model, UUID.randomUUID());

		Response first = this.api.post("/spawns", body);
		Response retry = this.api.post("/spawns", body);

		assertThat(first.status()).isEqualTo(201);
		assertThat(retry.status()).isEqualTo(200);
		assertThat(retry.json()).isEqualTo(first.json());
		assertThat(modelStats().get("total_spawns").asLong()).isEqualTo(1);
	}

	@Test
	void treatsRetryWithSameClientTimestampAsRetry() {
		String body = """
				{"caste":"oracle","model":"%s","timestamp":"2026-03-01T00:00:00Z","spawn_id":"ts-%s"}
				""".formatted(this.model, UUID.randomUUID());

		assertThat(this.api.post("/spawns", body).status()).isEqualTo(201);
		assertThat(this.api.post("/spawns", body).status()).isEqualTo(200);
	}

	@Test
	void rejectsReusedSpawnIdForDifferentSpawn() {
		String spawnId = "dup-" + UUID.randomUUID();
		this.api.post("/spawns",
				"{\"caste\":\"builder\",\"model\":\"%s\",\"spawn_id\":\"%s\"}".formatted(this.model, spawnId));

		Response otherCaste = this.api.post("/spawns",
				"{\"caste\":\"scout\",\"model\":\"%s\",\"spawn_id\":\"%s\"}".formatted(this.model, spawnId));
		Response otherTimestamp = this.api.post("/spawns",
				"{\"caste\":\"builder\",\"model\":\"%s\",\"spawn_id\":\"%s\",\"timestamp\":\"2020-01-01T00:00:00Z\"}"
					.formatted(this.model, spawnId));

		assertProblem(otherCaste, 409, "conflict");
		assertThat(otherCaste.json().get("detail").asString()).contains(spawnId).contains("caste");
		assertProblem(otherTimestamp, 409, "conflict");
		assertThat(otherTimestamp.json().get("detail").asString()).contains("timestamp");
		assertThat(modelStats().get("total_spawns").asLong()).isEqualTo(1);
	}

	@Test
	void recordsOutcomeWithUsageAndCountsIt() {
		String spawnId = this.api.recordSpawn("builder", this.model, "task-based");

		Response response = this.api.put("/spawns/" + spawnId + "/outcome",
				"{\"outcome\":\"completed\",\"tokens\":1200,\"tools\":{\"read\":3,\"bash\":1}}");

		assertThat(response.status()).isEqualTo(200);
		JsonNode spawn = response.json();
		assertThat(spawn.get("outcome").asString()).isEqualTo("completed");
		assertThat(spawn.get("completed_at").asString()).isNotBlank();
		assertThat(spawn.get("tokens").asLong()).isEqualTo(1200);
		assertThat(spawn.get("tools").toString()).isEqualTo("{\"read\":3,\"grep\":0,\"edit\":0,\"bash\":1}");
		JsonNode stats = modelStats();
		assertThat(stats.get("successful_completions").asLong()).isEqualTo(1);
		assertThat(stats.get("by_caste").get("builder").get("success").asLong()).isEqualTo(1);
	}

	@Test
	void countsEachOutcomeOnModelAndCaste() {
		this.api.recordOutcome(this.api.recordSpawn("builder", this.model, "task-based"), "completed");
		this.api.recordOutcome(this.api.recordSpawn("builder", this.model, "task-based"), "failed");
		this.api.recordOutcome(this.api.recordSpawn("builder", this.model, "task-based"), "blocked");
		this.api.recordSpawn("builder", this.model, "task-based");

		JsonNode stats = modelStats();
		assertThat(stats.get("total_spawns").asLong()).isEqualTo(4);
		assertThat(stats.get("successful_completions").asLong()).isEqualTo(1);
		assertThat(stats.get("failed_completions").asLong()).isEqualTo(1);
		assertThat(stats.get("blocked").asLong()).isEqualTo(1);
		JsonNode builder = stats.get("by_caste").get("builder");
		assertThat(builder.get("spawns").asLong()).isEqualTo(4);
		assertThat(builder.get("success").asLong()).isEqualTo(1);
		assertThat(builder.get("failures").asLong()).isEqualTo(1);
		assertThat(builder.get("blocked").asLong()).isEqualTo(1);
	}

	@Test
	void acceptsSameOutcomeAgainWithoutCountingTwice() {
		String spawnId = this.api.recordSpawn("builder", this.model, "task-based");
		String body = "{\"outcome\":\"failed\",\"tokens\":10}";

		Response first = this.api.put("/spawns/" + spawnId + "/outcome", body);
		Response again = this.api.put("/spawns/" + spawnId + "/outcome", body);

		assertThat(again.status()).isEqualTo(200);
		assertThat(again.json()).isEqualTo(first.json());
		assertThat(modelStats().get("failed_completions").asLong()).isEqualTo(1);
		assertThat(again.json().get("tokens").asLong()).isEqualTo(10);
	}

	@Test
	void rejectsDifferentOutcomeThanRecorded() {
		String spawnId = this.api.recordSpawn("builder", this.model, "task-based");
		this.api.recordOutcome(spawnId, "completed");

		Response response = this.api.put("/spawns/" + spawnId + "/outcome", "{\"outcome\":\"failed\"}");

		assertProblem(response, 409, "conflict");
		assertThat(response.json().get("detail").asString()).contains("completed");
		JsonNode stats = modelStats();
		assertThat(stats.get("successful_completions").asLong()).isEqualTo(1);
		assertThat(stats.get("failed_completions").asLong()).isZero();
	}

	@Test
	void rejectsUnknownOutcomeNamingAllowedValues() {
		String spawnId = this.api.recordSpawn("builder", this.model, "task-based");

		Response response = this.api.put("/spawns/" + spawnId + "/outcome", "{\"outcome\":\"succeeded\"}");

		assertProblem(response, 400, "invalid-request");
		assertThat(response.json().get("detail").asString()).contains("completed, failed, blocked");
		assertThat(this.api.get("/spawns/" + spawnId).json().get("outcome").isNull()).isTrue();
	}

	@Test
	void recordsWhenABackfilledSpawnEndedAndRefusesATimeItCannotHaveEnded() {
		Instant started = Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.MILLIS);
		String spawnId = this.api
			.post("/spawns",
					"{\"caste\":\"builder\",\"model\":\"" + this.model + "\",\"timestamp\":\"" + started + "\"}")
			.json()
			.get("spawn_id")
			.asString();
		String outcome = "/spawns/" + spawnId + "/outcome";

		Response unreadable = this.api.put(outcome, "{\"outcome\":\"completed\",\"completed_at\":\"yesterday\"}");
		Response future = this.api.put(outcome,
				"{\"outcome\":\"completed\",\"completed_at\":\"" + Instant.now().plus(Duration.ofHours(1)) + "\"}");
		Response beforeItStarted = this.api.put(outcome,
				"{\"outcome\":\"completed\",\"completed_at\":\"" + started.minusSeconds(1) + "\"}");
		assertThat(this.api.get("/spawns/" + spawnId).json().get("outcome").isNull()).isTrue();
		Response ended = this.api.put(outcome,
				"{\"outcome\":\"completed\",\"completed_at\":\"" + started.plusSeconds(90) + "\"}");

		assertProblem(unreadable, 400, "invalid-request");
		assertThat(unreadable.json().get("detail").asString()).contains("ISO-8601");
		assertProblem(future, 400, "invalid-request");
		assertThat(future.json().get("detail").asString()).contains("in the future");
		assertProblem(beforeItStarted, 409, "conflict");
		assertThat(ended.status()).isEqualTo(200);
		assertThat(ended.json().get("completed_at").asString()).isEqualTo(started.plusSeconds(90).toString());
	}

	@Test
	void answersNotFoundForUnknownSpawn() {
		assertProblem(this.api.get("/spawns/never-recorded"), 404, "not-found");
		assertProblem(this.api.put("/spawns/never-recorded/outcome", "{\"outcome\":\"completed\"}"), 404, "not-found");
		assertProblem(this.api.post("/spawns/never-recorded/usage", "{\"tokens\":1}"), 404, "not-found");
	}

	@Test
	void addsUsageToSpawn() {
		String spawnId = this.api.recordSpawn("builder", this.model, "task-based");

		this.api.post("/spawns/" + spawnId + "/usage", "{\"tokens\":100,\"tools\":{\"grep\":2}}");
		Response response = this.api.post("/spawns/" + spawnId + "/usage",
				"{\"tokens\":50,\"tools\":{\"grep\":1,\"edit\":4}}");

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json().get("tokens").asLong()).isEqualTo(150);
		assertThat(response.json().get("tools").toString()).isEqualTo("{\"read\":0,\"grep\":3,\"edit\":4,\"bash\":0}");
		assertThat(this.api.get("/spawns/" + spawnId).json()).isEqualTo(response.json());
	}

	@Test
	void addsUsageOncePerIdempotencyKey() {
		String spawnId = this.api.recordSpawn("builder", "kimi-k2.5", "task-based");
		Map<String, String> key = Map.of("Idempotency-Key", "\"0190ab1c-usage-1\"");

		Response first = this.api.send("POST", "/spawns/" + spawnId + "/usage", "{\"tokens\":30}", key);
		Response retried = this.api.send("POST", "/spawns/" + spawnId + "/usage", "{\"tokens\":30}", key);
		Response other = this.api.send("POST", "/spawns/" + spawnId + "/usage", "{\"tokens\":5}",
				Map.of("Idempotency-Key", "0190ab1c-usage-2"));
		Response badKey = this.api.send("POST", "/spawns/" + spawnId + "/usage", "{\"tokens\":5}",
				Map.of("Idempotency-Key", "with space"));

		assertThat(first.status()).isEqualTo(200);
		assertThat(retried.status()).isEqualTo(200);
		assertThat(retried.json().get("tokens").asLong()).isEqualTo(30);
		assertThat(retried.json().has("usage_keys")).isFalse();
		assertThat(other.json().get("tokens").asLong()).isEqualTo(35);
		assertProblem(badKey, 400, "invalid-request");
		assertThat(this.api.get("/stats/models/kimi-k2.5").json().get("tokens").asLong()).isGreaterThanOrEqualTo(35);
		assertThat(this.api.get("/spawns/" + spawnId).json().get("tokens").asLong()).isEqualTo(35);
	}

	@Test
	void rejectsUnknownToolAndNegativeCounts() {
		String spawnId = this.api.recordSpawn("builder", this.model, "task-based");

		Response unknownTool = this.api.post("/spawns/" + spawnId + "/usage", "{\"tools\":{\"web\":1}}");
		Response negative = this.api.post("/spawns/" + spawnId + "/usage", "{\"tokens\":-5}");
		Response negativeTool = this.api.post("/spawns/" + spawnId + "/usage", "{\"tools\":{\"read\":-1}}");

		assertProblem(unknownTool, 400, "invalid-request");
		assertThat(unknownTool.json().get("detail").asString()).contains("web").contains("read, grep, edit");
		assertProblem(negative, 400, "invalid-request");
		assertThat(negative.json().get("detail").asString()).contains("tokens");
		assertProblem(negativeTool, 400, "invalid-request");
		assertThat(this.api.get("/spawns/" + spawnId).json().get("tokens").asLong()).isZero();
	}

	@Test
	void rejectsMalformedSpawns() {
		assertProblem(this.api.post("/spawns", "{\"model\":\"%s\",\"timestamp\":\"yesterday\"}".formatted(this.model)),
				400, "invalid-request");
		assertProblem(this.api.post("/spawns", "{\"model\":\"%s\",\"spawn_id\":\"has space\"}".formatted(this.model)),
				400, "invalid-request");
		assertProblem(this.api.post("/spawns", "{\"model\":\"%s\",\"caste\":5}".formatted(this.model)), 400,
				"invalid-request");
		assertProblem(this.api.post("/spawns", "[]"), 400, "invalid-request");
		assertProblem(this.api.post("/spawns", "{not json"), 400, "invalid-request");
		assertProblem(this.api.post("/spawns", ""), 400, "invalid-request");
		assertThat(this.api.get("/stats/models/" + this.model).status()).isEqualTo(404);
	}

	@Test
	void listsDecisionsNewestFirstWithFilters() {
		String first = this.api.recordSpawn("builder", this.model, "task-based");
		String second = this.api.recordSpawn("scout", this.model, "user-override");
		String third = this.api.recordSpawn("builder", this.model, "cli-override");
		this.api.recordOutcome(third, "blocked");

		assertThat(ids("/spawns?model=" + this.model)).containsExactly(third, second, first);
		assertThat(ids("/spawns?model=" + this.model + "&caste=builder")).containsExactly(third, first);
		assertThat(ids("/spawns?model=" + this.model + "&source=user-override")).containsExactly(second);
		assertThat(ids("/spawns?model=" + this.model + "&outcome=blocked")).containsExactly(third);
		assertThat(ids("/spawns?model=" + this.model + "&outcome=open")).containsExactly(second, first);
		assertThat(ids("/spawns?model=" + this.model + "&limit=2")).containsExactly(third, second);
	}

	@Test
	void rejectsListLimitOutOfRange() {
		assertProblem(this.api.get("/spawns?limit=0"), 400, "invalid-request");
		assertProblem(this.api.get("/spawns?limit=1001"), 400, "invalid-request");
		assertProblem(this.api.get("/spawns?limit=many"), 400, "invalid-request");
		assertProblem(this.api.get("/spawns?outcome=succeeded"), 400, "invalid-request");
	}

	private java.util.List<String> ids(String path) {
		Response response = this.api.get(path);
		assertThat(response.status()).isEqualTo(200);
		return response.json().get("spawns").valueStream().map((spawn) -> spawn.get("spawn_id").asString()).toList();
	}

	private JsonNode modelStats() {
		Response response = this.api.get("/stats/models/" + this.model);
		assertThat(response.status()).isEqualTo(200);
		return response.json();
	}

	static void assertProblem(Response response, int status, String type) {
		assertThat(response.status()).as(response.body()).isEqualTo(status);
		assertThat(response.contentType()).startsWith("application/problem+json");
		JsonNode problem = response.json();
		assertThat(problem.get("type").asString()).isEqualTo("urn:spawn-telemetry:problem:" + type);
		assertThat(problem.get("status").asInt()).isEqualTo(status);
		assertThat(problem.get("detail").asString()).isNotBlank().doesNotContain("Exception").doesNotContain("at dev.");
	}

}
