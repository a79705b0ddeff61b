package dev.spawntelemetry.stats;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
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
class StatsApiIT {

	@Autowired
	TestApi api;

	/** Each test works on a model of its own (JUnit makes an instance per test). */
	final String model = "model-" + UUID.randomUUID();

	@Test
	void roundsSuccessRateHalfUpCountingOpenSpawns() {
		this.api.recordOutcome(this.api.recordSpawn("builder", this.model, "task-based"), "completed");
		this.api.recordOutcome(this.api.recordSpawn("builder", this.model, "task-based"), "failed");
		this.api.recordSpawn("builder", this.model, "task-based");

		JsonNode summary = this.api.get("/stats").json().get("models").get(this.model);
		assertThat(summary.get("total_spawns").asLong()).isEqualTo(3);
		assertThat(summary.get("success_rate").asDouble()).isEqualTo(0.33);
		assertThat(summary.get("by_caste").get("builder").get("spawns").asLong()).isEqualTo(3);
		assertThat(this.api.get("/stats/models/" + this.model).json().get("success_rate").asDouble()).isEqualTo(0.33);
	}

	@Test
	void roundsTwoThirdsUp() {
		this.api.recordOutcome(this.api.recordSpawn("builder", this.model, "task-based"), "completed");
		this.api.recordOutcome(this.api.recordSpawn("builder", this.model, "task-based"), "completed");
		this.api.recordSpawn("builder", this.model, "task-based");

		assertThat(this.api.get("/stats/models/" + this.model).json().get("success_rate").asDouble()).isEqualTo(0.67);
	}

	@Test
	void summarizesTotalsOverAllModels() {
		JsonNode before = this.api.get("/stats").json();
		this.api.recordSpawn("builder", this.model, "task-based");
		this.api.recordSpawn("scout", this.model + "-other", "task-based");

		JsonNode after = this.api.get("/stats").json();
		assertThat(after.get("total_spawns").asLong()).isEqualTo(before.get("total_spawns").asLong() + 2);
		assertThat(after.get("total_models").asInt()).isEqualTo(before.get("total_models").asInt() + 2);
		assertThat(after.get("models").size()).isEqualTo(after.get("total_models").asInt());
	}

	@Test
	void showsTheNewestTenDecisionsOldestFirst() {
		List<String> recorded = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			recorded.add(this.api.recordSpawn("builder", this.model, "task-based"));
		}

		JsonNode recent = this.api.get("/stats").json().get("recent_decisions");

		assertThat(recent.valueStream().map((decision) -> decision.get("spawn_id").asString()))
			.containsExactlyElementsOf(recorded.subList(2, 12));
	}

	@Test
	void servesModelNamesContainingSlashes() {
		String model = "openrouter/anthropic/" + this.model;
		this.api.recordOutcome(this.api.recordSpawn("oracle", model, "task-based"), "completed");

		Response response = this.api.get("/stats/models/" + model);

		assertThat(response.status()).isEqualTo(200);
		JsonNode detail = response.json();
		assertThat(detail.get("model").asString()).isEqualTo(model);
		assertThat(detail.get("total_spawns").asLong()).isEqualTo(1);
		assertThat(detail.get("successful_completions").asLong()).isEqualTo(1);
		assertThat(detail.get("failed_completions").asLong()).isZero();
		assertThat(detail.get("blocked").asLong()).isZero();
		assertThat(detail.get("success_rate").asDouble()).isEqualTo(1.0);
		assertThat(detail.get("by_caste").get("oracle").get("success").asLong()).isEqualTo(1);
	}

	@Test
	void servesModelNamesWhoseSlashesAreEncodedAsGeneratedClientsSendThem() {
		String model = "openrouter/anthropic/" + this.model;
		this.api.recordSpawn("oracle", model, "task-based");

		Response response = this.api.get("/stats/models/" + model.replace("/", "%2F"));

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json().get("model").asString()).isEqualTo(model);
		assertThat(this.api.get("/stats/models/openrouter%2Fnobody%2F" + this.model).json().get("detail").asString())
			.isEqualTo("No spawn was ever recorded for model 'openrouter/nobody/" + this.model + "'");
	}

	@Test
	void answersNotFoundForUnknownModel() {
		Response response = this.api.get("/stats/models/" + this.model);

		assertThat(response.status()).isEqualTo(404);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.json().get("detail").asString()).contains(this.model);
	}

	@Test
	void countsRoutingByCasteAndWindowOfDays() {
		String caste = "caste-" + UUID.randomUUID();
		Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		Instant threeDaysAgo = now.minus(3, ChronoUnit.DAYS);
		spawnAt(caste, "m-a", "task-based", threeDaysAgo);
		spawnAt(caste, "m-a", "user-override", now.minus(1, ChronoUnit.HOURS));
		spawnAt(caste, "m-b", "task-based", now);
		this.api.recordSpawn("other-caste", this.model, "cli-override");

		JsonNode all = this.api.get("/stats/routing?caste=" + caste).json();
		assertThat(all.get("total_decisions").asInt()).isEqualTo(3);
		assertThat(all.get("by_source").toString()).isEqualTo("{\"task-based\":2,\"user-override\":1}");
		assertThat(all.get("by_model").toString()).isEqualTo("{\"m-a\":2,\"m-b\":1}");
		assertThat(all.get("date_range").get("earliest").asString()).isEqualTo(threeDaysAgo.toString());
		assertThat(all.get("date_range").get("latest").asString()).isEqualTo(now.toString());

		JsonNode lastDay = this.api.get("/stats/routing?days=1&caste=" + caste).json();
		assertThat(lastDay.get("total_decisions").asInt()).isEqualTo(2);
		assertThat(lastDay.get("by_model").toString()).isEqualTo("{\"m-a\":1,\"m-b\":1}");
		assertThat(lastDay.get("date_range").get("earliest").asString())
			.isEqualTo(now.minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.HOURS).toString());
		JsonNode window = lastDay.get("window");
		assertThat(window.get("bucket").asString()).isEqualTo("hour");
		assertThat(window.get("days").asInt()).isEqualTo(1);
		assertThat(Duration.between(Instant.parse(window.get("from").asString()),
				Instant.parse(window.get("to").asString())))
			.isEqualTo(Duration.ofDays(1));
		assertThat(this.api.get("/stats/routing?caste=" + caste).json().get("window").isNull()).isTrue();
	}

	@Test
	void answersTrendsPerBucketWhoseTotalsEqualTheWindowReads() {
		String caste = "trend-" + UUID.randomUUID();
		Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		for (int day = 0; day < 3; day++) {
			for (int i = 0; i <= day; i++) {
				Response spawn = this.api.post("/spawns", """
						{"caste":"%s","model":"%s","timestamp":"%s"}
						""".formatted(caste, this.model, now.minus(Duration.ofDays(day))));
				String id = spawn.json().get("spawn_id").asString();
				this.api.recordOutcome(id, (i == 0) ? "completed" : "failed");
			}
		}
		this.api.post("/spawns", """
				{"caste":"%s","model":"%s","source":"user-override"}
				""".formatted(caste, this.model));
		String path = "/stats/trends?caste=" + caste + "&bucket=day&from="
				+ now.minus(Duration.ofDays(29)).truncatedTo(ChronoUnit.DAYS);

		Response trend = this.api.get(path);

		assertThat(trend.status()).as(trend.body()).isEqualTo(200);
		JsonNode points = trend.json().get("points");
		assertThat(points).hasSize(30);
		JsonNode today = points.get(29);
		assertThat(today.get("spawns").asLong()).isEqualTo(2);
		assertThat(today.get("completed").asLong()).isEqualTo(1);
		assertThat(today.get("open").asLong()).isEqualTo(1);
		assertThat(today.get("resolved_success_rate").asDouble()).isEqualTo(1.0);
		assertThat(points.get(28).get("failed").asLong()).isEqualTo(1);
		assertThat(points.get(27).get("wilson").get("low").asDouble()).isLessThan(1.0 / 3);
		assertThat(points.get(0).get("spawns").asLong()).isZero();
		assertThat(points.get(0).get("wilson").isNull()).isTrue();
		JsonNode total = trend.json().get("total");
		assertThat(total.get("spawns").asLong()).isEqualTo(7);
		JsonNode advice = this.api.get("/recommendations?min_resolved=1&days=30&caste=" + caste).json();
		assertThat(advice.get("window").get("from").asString()).isEqualTo(trend.json().get("from").asString());
		assertThat(advice.get("models").get(0).get("spawns").asLong()).isEqualTo(total.get("spawns").asLong());
		assertThat(advice.get("models").get(0).get("completed").asLong()).isEqualTo(total.get("completed").asLong());
		JsonNode overridden = this.api.get("/stats/trends?caste=" + caste + "&source=user-override").json();
		assertThat(overridden.get("total").get("spawns").asLong()).isEqualTo(1);
		assertThat(overridden.get("points").get(29).get("p50_seconds").isNull()).isTrue();

		String etag = trend.header("ETag");
		assertThat(this.api.get(path, Map.of("If-None-Match", etag)).status()).isEqualTo(304);
		this.api.recordSpawn(caste, this.model, "task-based");
		Response changed = this.api.get(path, Map.of("If-None-Match", etag));
		assertThat(changed.status()).isEqualTo(200);
		assertThat(changed.json().get("total").get("spawns").asLong()).isEqualTo(8);
	}

	@Test
	void refusesTrendsItCannotAnswerSayingWhy() {
		Map<String, String> refusals = Map.of("/stats/trends?bucket=week", "hour or day",
				"/stats/trends?bucket=hour&from=2020-01-01T00:00:00Z", "bucket=day", "/stats/trends?from=yesterday",
				"ISO-8601", "/stats/trends?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z", "before",
				"/stats/trends?to=2999-01-01T00:00:00Z", "ahead", "/stats/routing?days=401", "at most 400",
				"/stats/trends?bucket=hour&to=2020-01-01T00:00:00Z", "so to must be after");
		refusals.forEach((path, detail) -> {
			Response response = this.api.get(path);
			assertThat(response.status()).as(path).isEqualTo(400);
			assertThat(response.contentType()).startsWith("application/problem+json");
			assertThat(response.json().get("detail").asString()).as(path).contains(detail);
		});
	}

	@Test
	void answersNullDateRangeWhenNothingMatches() {
		JsonNode routing = this.api.get("/stats/routing?caste=none-" + UUID.randomUUID()).json();

		assertThat(routing.get("total_decisions").asInt()).isZero();
		assertThat(routing.get("date_range").isNull()).isTrue();
	}

	@Test
	void rejectsDaysThatAreNotPositiveIntegers() {
		for (String days : List.of("0", "-1", "abc", "1.5")) {
			Response response = this.api.get("/stats/routing?days=" + days);
			assertThat(response.status()).as(days).isEqualTo(400);
			assertThat(response.contentType()).startsWith("application/problem+json");
			assertThat(response.json().get("detail").asString()).contains("days");
		}
	}

	@Test
	void ranksBySuccessRateThenBySpawns() {
		String prefix = "rank-" + UUID.randomUUID() + "-";
		record(prefix + "half-of-four", 2, 4);
		record(prefix + "half-of-two", 1, 2);
		record(prefix + "all-of-one", 1, 1);
		record(prefix + "none-of-three", 0, 3);

		List<JsonNode> mine = this.api.get("/stats/ranking")
			.json()
			.get("models")
			.valueStream()
			.filter((entry) -> entry.get("model").asString().startsWith(prefix))
			.toList();

		assertThat(mine).extracting((entry) -> entry.get("model").asString().substring(prefix.length()))
			.containsExactly("all-of-one", "half-of-four", "half-of-two", "none-of-three");
		assertThat(mine).extracting((entry) -> entry.get("rank").asInt()).isSorted();
		JsonNode halfOfFour = mine.get(1);
		assertThat(halfOfFour.get("total_spawns").asLong()).isEqualTo(4);
		assertThat(halfOfFour.get("successful_completions").asLong()).isEqualTo(2);
		assertThat(halfOfFour.get("failed_completions").asLong()).isEqualTo(2);
		assertThat(halfOfFour.get("blocked").asLong()).isZero();
		assertThat(halfOfFour.get("success_rate").asDouble()).isEqualTo(0.5);
	}

	/**
	 * Outcomes whose clock ran behind the spawn's count as zero, and are reported as 0.
	 */
	@Test
	void reportsZeroDurationsAsZero() {
		String caste = "zero-" + this.model;
		for (int i = 0; i < 3; i++) {
			Response spawned = this.api.post("/spawns", """
					{"caste":"%s","model":"%s","timestamp":"%s"}
					""".formatted(caste, this.model, Instant.now().plus(Duration.ofHours(1))));
			this.api.recordOutcome(spawned.json().get("spawn_id").asString(), "completed");
		}

		JsonNode durations = this.api.get("/stats/castes/" + caste)
			.json()
			.get("models")
			.get(0)
			.get("durations")
			.get("completed");

		assertThat(durations.get("count").asLong()).isEqualTo(3);
		assertThat(durations.get("p50_seconds").asDouble()).isZero();
		assertThat(durations.get("p90_seconds").asDouble()).isZero();
		assertThat(durations.get("p99_seconds").asDouble()).isZero();
	}

	@Test
	void answersNotModifiedUntilStateChanges() {
		this.api.recordSpawn("builder", this.model, "task-based");
		Response first = this.api.get("/stats");
		String etag = first.header("ETag");
		assertThat(etag).isNotBlank();

		Response unchanged = this.api.get("/stats", Map.of("If-None-Match", etag));
		assertThat(unchanged.status()).isEqualTo(304);
		assertThat(unchanged.body()).isEmpty();

		this.api.recordSpawn("builder", this.model, "task-based");
		Response changed = this.api.get("/stats", Map.of("If-None-Match", etag));
		assertThat(changed.status()).isEqualTo(200);
		assertThat(changed.header("ETag")).isNotEqualTo(etag);
		assertThat(this.api.get("/stats/ranking", Map.of("If-None-Match", changed.header("ETag"))).status())
			.isEqualTo(304);

		// RFC 9110 13.1.2: '*' matches whatever representation exists
		Response any = this.api.get("/stats", Map.of("If-None-Match", "*"));
		assertThat(any.status()).isEqualTo(304);
		assertThat(any.header("ETag")).isEqualTo(changed.header("ETag"));
	}

	private void record(String model, int completed, int spawns) {
		for (int i = 0; i < spawns; i++) {
			String spawnId = this.api.recordSpawn("builder", model, "task-based");
			this.api.recordOutcome(spawnId, (i < completed) ? "completed" : "failed");
		}
	}

	private void spawnAt(String caste, String model, String source, Instant timestamp) {
		Response response = this.api.post("/spawns", """
				{"caste":"%s","model":"%s","source":"%s","timestamp":"%s"}
				""".formatted(caste, model, source, timestamp));
		assertThat(response.status()).isEqualTo(201);
	}

}
