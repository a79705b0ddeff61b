package dev.spawntelemetry.web;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.UUID;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import dev.spawntelemetry.RunningService;
import dev.spawntelemetry.TestApi;
import dev.spawntelemetry.TestApi.Response;
import dev.spawntelemetry.TestDataDirectories;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random request bodies against the running service: never a 5xx, and every 2xx is
 * reflected exactly in the statistics, every refusal not at all.
 */
class RandomBodiesIT {

	static final List<String> SPAWN_FIELDS = List.of("task", "caste", "model", "source", "timestamp", "spawn_id",
			"outcome", "extra");

	static final List<String> OUTCOME_FIELDS = List.of("outcome", "tokens", "tools", "extra");

	static RunningService service;

	static TestApi api;

	@BeforeContainer
	static void start() {
		Path dataDirectory = TestDataDirectories.create();
		service = RunningService.start(dataDirectory);
		api = service.api();
	}

	@AfterContainer
	static void stop() {
		service.close();
	}

	@Property(tries = 300)
	void recordsASpawnExactlyWhenItAnswers2xx(@ForAll("spawnBodies") String body) {
		long before = totalSpawns();

		Response response = api.post("/spawns", body);
		Statistics.label("status").collect(response.status());

		assertThat(response.status()).as(body).isLessThan(500);
		long after = totalSpawns();
		if (response.status() == 201) {
			assertThat(after).as(body).isEqualTo(before + 1);
			JsonNode spawn = response.json();
			assertThat(api.get("/spawns/" + spawn.get("spawn_id").asString()).json()).isEqualTo(spawn);
		}
		else {
			assertThat(response.status()).as(body).isIn(200, 400, 409, 413, 422);
			assertThat(response.contentType()).as(body)
				.startsWith((response.status() == 200) ? "application/json" : "application/problem+json");
			assertThat(after).as(body).isEqualTo(before);
		}
	}

	@Property(tries = 300)
	void countsAnOutcomeExactlyWhenItAnswers2xx(@ForAll("outcomeBodies") String body) {
		String model = "model-" + UUID.randomUUID();
		String spawnId = api.recordSpawn("builder", model, "task-based");

		Response response = api.put("/spawns/" + spawnId + "/outcome", body);
		Statistics.label("status").collect(response.status());

		assertThat(response.status()).as(body).isLessThan(500);
		JsonNode stats = api.get("/stats/models/" + model).json();
		long ended = stats.get("successful_completions").asLong() + stats.get("failed_completions").asLong()
				+ stats.get("blocked").asLong();
		if (response.status() == 200) {
			assertThat(ended).as(body).isEqualTo(1);
			assertThat(api.get("/spawns/" + spawnId).json()).isEqualTo(response.json());
		}
		else {
			assertThat(response.status()).as(body).isIn(400, 413);
			assertThat(ended).as(body).isZero();
			assertThat(api.get("/spawns/" + spawnId).json().get("outcome").isNull()).isTrue();
		}
	}

	/**
	 * Any text, lone surrogates and line separators included; any timestamp; any Accept
	 * and Content-Type; while four valid spawns are sent at the same moment: never a 5xx,
	 * the write is stored exactly when it answers 2xx, and the others are always stored.
	 */
	@Property(tries = 200)
	void answersTruthfullyWhileOtherWritesHappenAtTheSameMoment(@ForAll("anyRequests") AnyRequest request)
			throws Exception {
		long before = totalSpawns();
		List<CompletableFuture<Response>> bystanders = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			bystanders.add(api.postAsync("/spawns", "{\"caste\":\"bystander\",\"model\":\"kimi-k2.5\"}"));
		}

		Response response = api.send("POST", "/spawns", request.body(), request.headers());
		Statistics.label("status").collect(response.status());

		assertThat(response.status()).as(request.toString()).isLessThan(500);
		for (CompletableFuture<Response> bystander : bystanders) {
			assertThat(bystander.get(2, TimeUnit.MINUTES).status()).as(request.toString()).isEqualTo(201);
		}
		long after = totalSpawns();
		if (response.status() == 201) {
			assertThat(after).as(request.toString()).isEqualTo(before + 5);
			assertThat(response.contentType()).startsWith("application/json");
			JsonNode spawn = response.json();
			assertThat(api.get("/spawns/" + spawn.get("spawn_id").asString()).json()).isEqualTo(spawn);
		}
		else {
			assertThat(response.status()).as(request.toString()).isIn(200, 400, 406, 409, 413, 415, 422);
			assertThat(after).as(request.toString()).isEqualTo(before + 4);
		}
	}

	@Provide
	Arbitrary<AnyRequest> anyRequests() {
		Arbitrary<String> accept = Arbitraries.oneOf(
				Arbitraries.of("*/*", "application/json", "application/*", "application/problem+json", "text/html",
						"image/png", "application/xml", "application/yaml", "text/*;q=0.1, application/json;q=0.9"),
				headerGarbage());
		Arbitrary<String> contentType = Arbitraries.oneOf(Arbitraries.of("application/json",
				"application/json; charset=utf-8", "application/merge-patch+json", "text/plain", "application/yaml",
				"multipart/form-data", "application/x-www-form-urlencoded", "application/octet-stream"),
				headerGarbage());
		Arbitrary<String> body = Arbitraries.maps(Arbitraries.of(SPAWN_FIELDS), unicodeValues())
			.ofMaxSize(6)
			.map((map) -> {
				ObjectNode object = JsonNodeFactory.instance.objectNode();
				map.forEach(object::set);
				return ESCAPING.writeValueAsString(object);
			});
		return Combinators.combine(body, accept, contentType)
			.as((json, acceptHeader, type) -> new AnyRequest(json,
					Map.of("Accept", acceptHeader, "Content-Type", type)));
	}

	/** Escaped as \\uXXXX, a lone surrogate reaches the service as the client sent it. */
	private static final JsonMapper ESCAPING = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

	private static Arbitrary<JsonNode> unicodeValues() {
		JsonNodeFactory json = JsonNodeFactory.instance;
		Arbitrary<String> anyText = Arbitraries.strings().all().ofMaxLength(24);
		Arbitrary<String> separators = Arbitraries.strings()
			.withChars('a', '/', '.', '\u2028', '\u2029', '\u0085', '\ud800', '\udc00', '%', ';')
			.ofMinLength(1)
			.ofMaxLength(6);
		Arbitrary<String> timestamps = Arbitraries.oneOf(
				Arbitraries.longs()
					.between(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond())
					.map((seconds) -> Instant.ofEpochSecond(seconds).toString()),
				Arbitraries.of("1969-12-31T23:59:59.999Z", "1970-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z",
						"+10000-01-01T00:00:00Z", "-1000000000-01-01T00:00:00Z", "1700-01-01T00:00:00Z"));
		return Arbitraries.oneOf(anyText.map(json::textNode), separators.map(json::textNode),
				timestamps.map(json::textNode), Arbitraries.of("builder", "kimi-k2.5", "a/b").map(json::textNode));
	}

	private static Arbitrary<String> headerGarbage() {
		return Arbitraries.strings().withChars("abcxyz/+*;=.-0123456789").ofMinLength(1).ofMaxLength(20);
	}

	/** A POST /spawns as any client might send it. */
	record AnyRequest(String body, Map<String, String> headers) {

	}

	@Provide
	Arbitrary<String> spawnBodies() {
		return Arbitraries.oneOf(objects(SPAWN_FIELDS), garbage());
	}

	@Provide
	Arbitrary<String> outcomeBodies() {
		return Arbitraries.frequencyOf(Tuple.of(3, nearlyValidOutcomes()), Tuple.of(2, objects(OUTCOME_FIELDS)),
				Tuple.of(1, garbage()));
	}

	/** Real outcomes with usage at and around the edges of what is allowed. */
	private static Arbitrary<String> nearlyValidOutcomes() {
		JsonNodeFactory json = JsonNodeFactory.instance;
		Arbitrary<Long> counts = Arbitraries.oneOf(Arbitraries.longs().between(-3, 100), Arbitraries.of(0L,
				1_000_000_000L, 1_000_000_001L, 1_000_000_000_000L, 1_000_000_000_001L, Long.MAX_VALUE));
		Arbitrary<ObjectNode> tools = Arbitraries
			.maps(Arbitraries.of("read", "grep", "edit", "bash", "Read", "web"), counts)
			.ofMaxSize(4)
			.map((map) -> {
				ObjectNode object = json.objectNode();
				map.forEach(object::put);
				return object;
			});
		return Combinators
			.combine(Arbitraries.of("completed", "failed", "blocked", "done", "COMPLETED"), counts.injectNull(0.4),
					tools.injectNull(0.4))
			.as((outcome, tokens, toolCounts) -> {
				ObjectNode body = json.objectNode().put("outcome", outcome);
				if (tokens != null) {
					body.put("tokens", tokens);
				}
				if (toolCounts != null) {
					body.set("tools", toolCounts);
				}
				return body.toString();
			});
	}

	private static Arbitrary<String> objects(List<String> fields) {
		Arbitrary<String> names = Arbitraries.oneOf(Arbitraries.of(fields), Arbitraries.strings().ofMaxLength(8));
		return Arbitraries.maps(names, values()).ofMaxSize(6).map((map) -> {
			ObjectNode object = JsonNodeFactory.instance.objectNode();
			map.forEach(object::set);
			return object.toString();
		});
	}

	private static Arbitrary<JsonNode> values() {
		JsonNodeFactory json = JsonNodeFactory.instance;
		return Arbitraries.oneOf(
				Arbitraries
					.of("completed", "failed", "blocked", "builder", "kimi-k2.5", "2026-11-25T12:00:00Z", "", " ",
							"read")
					.map(json::textNode),
				Arbitraries.strings().ofMaxLength(200).map(json::textNode),
				Arbitraries.strings().ofMinLength(4000).ofMaxLength(5000).map(json::textNode),
				Arbitraries.longs().map(json::numberNode), Arbitraries.doubles().map(json::numberNode),
				Arbitraries.bigIntegers()
					.between(java.math.BigInteger.valueOf(Long.MAX_VALUE).negate().shiftLeft(8),
							java.math.BigInteger.valueOf(Long.MAX_VALUE).shiftLeft(8))
					.map(json::numberNode),
				Arbitraries.of(true, false).map(json::booleanNode), Arbitraries.just(json.nullNode()),
				Arbitraries
					.maps(Arbitraries.of("read", "grep", "edit", "bash", "web"), Arbitraries.longs().between(-5, 50))
					.ofMaxSize(4)
					.map((tools) -> {
						ObjectNode object = json.objectNode();
						tools.forEach(object::put);
						return object;
					}),
				Arbitraries.integers().between(0, 3).map((n) -> json.arrayNode().add(n)));
	}

	private static Arbitrary<String> garbage() {
		return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(100),
				Arbitraries.of("", "null", "[]", "{", "}", "{\"caste\":}", "\"text\"", "42", "{\"a\":1}{\"b\":2}"));
	}

	private static long totalSpawns() {
		return api.get("/stats").json().get("total_spawns").asLong();
	}

}
