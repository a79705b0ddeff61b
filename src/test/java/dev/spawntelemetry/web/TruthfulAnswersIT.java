package dev.spawntelemetry.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import dev.spawntelemetry.Json;
import dev.spawntelemetry.ServiceTest;
import dev.spawntelemetry.TestApi;
import dev.spawntelemetry.TestApi.Response;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every answer tells the truth, tried as a hostile client would: a 2xx is stored, any
 * error is stored nowhere, every error is a problem with a stable type, and what is
 * accepted can be read back at its URL.
 */
@ServiceTest
class TruthfulAnswersIT {

	@Autowired
	TestApi api;

	@BeforeEach
	void setUp() {
	}

	@ParameterizedTest
	@ValueSource(strings = { "1700-01-01T00:00:00Z", "-1000000000-01-01T00:00:00Z", "+1000000000-12-31T23:59:59Z",
			"1969-12-31T23:59:59.999Z", "+10000-01-01T00:00:00Z" })
	void refusesTimestampsOutsideTheRangeItCanComputeWith(String timestamp) {
		long before = totalSpawns();

		Response response = this.api.post("/spawns",
				Json.object("spawn_id", "stamp-" + timestamp.hashCode(), "timestamp", timestamp));

		assertProblem(response, 400, "invalid-request");
		assertThat(response.json().get("detail").asString()).contains("1970-01-01T00:00:00Z",
				"9999-12-31T23:59:59.999Z");
		assertThat(totalSpawns()).isEqualTo(before);
	}

	@Test
	void endsSpawnsStampedAtEitherEndOfTheRangeAndSaysSoTruthfully() {
		String earliest = createSpawn(
				Json.object("model", "edge-of-time", "caste", "early", "timestamp", "1970-01-01T00:00:00Z"));
		String latest = createSpawn(
				Json.object("model", "edge-of-time", "caste", "late", "timestamp", "9999-12-31T23:59:59.999Z"));

		Response early = this.api.put("/spawns/" + earliest + "/outcome", "{\"outcome\":\"completed\"}");
		Response late = this.api.put("/spawns/" + latest + "/outcome", "{\"outcome\":\"failed\"}");

		assertThat(early.status()).as(early.body()).isEqualTo(200);
		assertThat(late.status()).as(late.body()).isEqualTo(200);
		assertThat(this.api.get("/spawns/" + earliest).json().get("outcome").asString()).isEqualTo("completed");
		JsonNode castes = this.api.get("/stats/models/edge-of-time").json().get("by_caste");
		assertThat(castes.get("early").get("success").asLong()).isEqualTo(1);
		assertThat(castes.get("late").get("failures").asLong()).isEqualTo(1);
		JsonNode lateCaste = this.api.get("/stats/castes/late").json().get("models").get(0);
		assertThat(lateCaste.get("clock_skew").asLong()).isEqualTo(1);
	}

	@ParameterizedTest
	@ValueSource(strings = { "task", "caste", "model", "source" })
	void refusesALoneSurrogateAtTheDoorWithoutFailingTheWritesBesideIt(String field) throws Exception {
		long before = totalSpawns();
		List<CompletableFuture<Response>> valid = new ArrayList<>();
		for (int i = 0; i < 60; i++) {
			valid.add(this.api.postAsync("/spawns", "{\"caste\":\"builder\",\"model\":\"beside-" + field + "\"}"));
		}
		CompletableFuture<Response> poisoned = this.api.postAsync("/spawns", "{\"" + field + "\":\"x\\ud800y\"}");
		for (int i = 0; i < 60; i++) {
			valid.add(this.api.postAsync("/spawns", "{\"caste\":\"builder\",\"model\":\"beside-" + field + "\"}"));
		}

		assertProblem(poisoned.get(), 400, "invalid-request");
		assertThat(poisoned.get().json().get("detail").asString()).startsWith(field);
		for (CompletableFuture<Response> write : valid) {
			assertThat(write.get().status()).as(write.get().body()).isEqualTo(201);
		}
		assertThat(totalSpawns()).isEqualTo(before + 120);
	}

	@ParameterizedTest
	@ValueSource(strings = { "text/html", "image/png", "application/xml", "application/yaml" })
	void refusesAWriteItCannotAnswerAsAskedBeforeApplyingIt(String accept) {
		String spawnId = createSpawn(Json.object("spawn_id", "accept-" + accept.replace('/', '-')));
		Map<String, String> headers = Map.of("Accept", accept);

		Response spawn = this.api.send("POST", "/spawns", Json.object("spawn_id", "never-" + accept.hashCode()),
				headers);
		Response usage = this.api.send("POST", "/spawns/" + spawnId + "/usage", "{\"tokens\":7}", headers);
		Response outcome = this.api.send("PUT", "/spawns/" + spawnId + "/outcome", "{\"outcome\":\"completed\"}",
				headers);

		for (Response refused : List.of(spawn, usage, outcome)) {
			assertProblem(refused, 406, "not-acceptable");
		}
		assertThat(this.api.get("/spawns/never-" + accept.hashCode()).status()).isEqualTo(404);
		JsonNode stored = this.api.get("/spawns/" + spawnId).json();
		assertThat(stored.get("tokens").asLong()).isZero();
		assertThat(stored.get("outcome").isNull()).isTrue();
	}

	@Test
	void writesAnswerJsonWhenTheClientAcceptsAnything() {
		Response response = this.api.send("POST", "/spawns", "{}", Map.of("Accept", "*/*"));

		assertThat(response.status()).isEqualTo(201);
		assertThat(response.contentType()).startsWith("application/json");
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "/spawns?limit=%zz", "/actuator/health?x=%zz", "/stats/routing?days=%", "/spawns?limit=5%" })
	void answersAnUndecodableQueryWith400(String target) {
		Response response = this.api.rawGet(target);

		assertProblem(response, 400, "invalid-request");
		assertThat(response.json().get("detail").asString()).contains("'%'");
	}

	/**
	 * Requests Tomcat refuses before the application sees them: each is a problem saying
	 * what a request needs, with Tomcat's own reason where it gives one.
	 */
	@ParameterizedTest
	@MethodSource("requestsTomcatRefuses")
	void answersWhatTomcatRefusesWithAProblemSayingWhatIsWrong(String request, String named) {
		Response response = this.api.raw(request);

		assertProblem(response, 400, "invalid-request");
		assertThat(response.json().get("detail").asString()).contains(named).doesNotContain("Exception");
	}

	static Stream<Arguments> requestsTomcatRefuses() {
		String close = "Connection: close\r\n\r\n";
		return Stream.of(arguments("GET /stats HTTP/1.1\r\n" + close, "(no Host header)"),
				arguments("POST /spawns HTTP/1.1\r\nHost: localhost\r\nContent-Length: ten\r\n" + close,
						"(Content-Length ten)"),
				arguments("POST /spawns HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\nContent-Length: 3\r\n"
						+ close + "{}", "(Content-Length 2, 3)"),
				arguments("G(ET /stats HTTP/1.1\r\nHost: localhost\r\n" + close, "(Invalid character found in method"),
				arguments("GET /stats HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + "x".repeat(9000) + "\r\n" + close,
						"(Request header is too large"),
				arguments("GET /stats HTTP/1.1\r\nHost: localhost\r\n" + "X-Header: 1\r\n".repeat(120) + close,
						"(More than the maximum allowed number of headers"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "multipart/form-data", "multipart/form-data; boundary=x", "application/yaml",
			"application/x-yaml", "text/yaml", "application/xml", "application/x-www-form-urlencoded", "text/plain" })
	void acceptsOnlyJsonBodies(String contentType) {
		long before = totalSpawns();

		Response response = this.api.send("POST", "/spawns", "caste: 5\nspawnId: yaml",
				Map.of("Content-Type", contentType));

		assertProblem(response, 415, "unsupported-media-type");
		assertThat(totalSpawns()).isEqualTo(before);
	}

	@Test
	void acceptsAnyJsonMediaType() {
		Response response = this.api.send("POST", "/spawns", "{}",
				Map.of("Content-Type", "application/merge-patch+json"));

		assertThat(response.status()).isEqualTo(201);
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"modle\":\"glm-5\"}", "{\"spawnId\":\"camel\"}", "{\"model\":\"a\",\"model\":\"b\"}" })
	void refusesUnknownAndRepeatedFieldsNamingThem(String body) {
		long before = totalSpawns();

		Response response = this.api.post("/spawns", body);

		assertProblem(response, 400, "invalid-request");
		String field = body.substring(2, body.indexOf('"', 2));
		assertThat(response.json().get("detail").asString()).contains(field);
		assertThat(totalSpawns()).isEqualTo(before);
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"spawn_id\":\".\"}", "{\"spawn_id\":\"..\"}", "{\"model\":\"a%20b\"}",
			"{\"model\":\"a;b\"}", "{\"model\":\"a\\\\b\"}", "{\"model\":\"a//b\"}", "{\"model\":\"/a\"}",
			"{\"model\":\"a/\"}", "{\"model\":\"a/../b\"}", "{\"model\":\"a/./b\"}", "{\"model\":\"..\"}",
			"{\"model\":\"a\\u2028b\"}", "{\"model\":\"naïve\"}", "{\"caste\":\"a/b\"}", "{\"caste\":\"a%b\"}",
			"{\"caste\":\".\"}", "{\"source\":\"a b\"}", "{\"model\":\"a+b\"}" })
	void refusesIdsAndNamesThatCouldNotBeReadBackSayingWhatIsAllowed(String body) {
		long before = totalSpawns();

		Response response = this.api.post("/spawns", body);

		assertProblem(response, 400, "invalid-request");
		assertThat(response.json().get("detail").asString()).contains("of the characters");
		assertThat(totalSpawns()).isEqualTo(before);
	}

	@Test
	void readsBackEveryAcceptedNameAtItsUrl() {
		String model = "openrouter/Vendor_1/model-2.5:free@v1~beta";
		String caste = "Caste.name_1:x@y~z-w";
		String spawnId = createSpawn(
				Json.object("spawn_id", "A-z_0.9:id", "model", model, "caste", caste, "source", "user.override"));

		assertThat(this.api.get("/spawns/" + spawnId).status()).isEqualTo(200);
		assertThat(this.api.get("/stats/models/" + model).json().get("total_spawns").asLong()).isEqualTo(1);
		assertThat(this.api.get("/stats/castes/" + caste).json().get("models").get(0).get("model").asString())
			.isEqualTo(model);
		assertThat(this.api.get("/spawns?model=" + model + "&source=user.override").json().get("spawns")).hasSize(1);
		assertThat(this.api.put("/spawns/" + spawnId + "/outcome", "{\"outcome\":\"completed\"}").status())
			.isEqualTo(200);
	}

	@Test
	void neverShowsJavaInADetail() {
		Response repeated = this.api.get("/spawns?limit=abc&limit=1");
		Response wrongType = this.api.post("/spawns", "{\"timestamp\":{\"at\":1}}");
		Response unreadable = this.api.post("/spawns", "{\"caste\":\"builder\",}");

		for (Response response : List.of(repeated, wrongType, unreadable)) {
			assertProblem(response, 400, "invalid-request");
			assertThat(response.body()).doesNotContain("java.", "[L", "@", "tools.jackson", "Exception", "`");
		}
	}

	@Test
	void answersEveryErrorOfSpringAndTomcatAsAProblemWithAType() {
		Map<String, Response> answers = new LinkedHashMap<>();
		answers.put("404 GET /error", this.api.get("/error"));
		answers.put("404 GET /no-such-thing", this.api.get("/no-such-thing"));
		answers.put("405 DELETE /stats", this.api.send("DELETE", "/stats", null, Map.of()));
		answers.put("405 TRACE /stats", this.api.send("TRACE", "/stats", null, Map.of()));
		answers.put("406 GET /stats", this.api.get("/stats", Map.of("Accept", "text/csv")));
		answers.put("415 POST /spawns", this.api.send("POST", "/spawns", "x", Map.of("Content-Type", "text/csv")));
		answers.put("400 GET /recommendations", this.api.get("/recommendations"));
		answers.put("400 GET //stats", this.api.get("//stats"));
		answers.put("400 GET /stats;jsessionid=1", this.api.get("/stats;jsessionid=1"));
		answers.put("400 GET /stats/%2e%2e/stats", this.api.get("/stats/%2e%2e/stats"));
		answers.put("400 a 64 KiB URL", this.api.get("/stats?q=" + "q".repeat(64 * 1024)));
		Map<String, String> headers = new LinkedHashMap<>();
		for (int i = 0; i < 101; i++) {
			headers.put("X-Header-" + i, "v");
		}
		answers.put("400 101 headers", this.api.get("/stats", headers));
		answers.put("400 FOO /stats", this.api.send("FOO", "/stats", null, Map.of()));
		String close = "Connection: close\r\n\r\n";
		answers.put("400 a bad chunk",
				this.api.raw("POST /spawns HTTP/1.1\r\nHost: localhost\r\n"
						+ "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n" + close
						+ "zz\r\n{}\r\n0\r\n\r\n"));
		answers.put("501 Transfer-Encoding: gzip", this.api.raw("POST /spawns HTTP/1.1\r\nHost: localhost\r\n"
				+ "Content-Type: application/json\r\nTransfer-Encoding: gzip\r\n" + close));
		answers.put("501 CONNECT", this.api.raw("CONNECT localhost:443 HTTP/1.1\r\nHost: localhost\r\n" + close));
		answers.put("505 HTTP/2.0", this.api.raw("GET /stats HTTP/2.0\r\nHost: localhost\r\n" + close));
		answers.put("417 Expect: 200-ok", this.api.raw("PUT /spawns/a/outcome HTTP/1.1\r\nHost: localhost\r\n"
				+ "Content-Type: application/json\r\nContent-Length: 2\r\nExpect: 200-ok\r\n" + close + "{}"));
		Map<String, String> named = Map.of("400 GET //stats", "\"//\"", "400 GET /stats;jsessionid=1", "\";\"",
				"400 FOO /stats", "\"FOO\"", "400 a bad chunk", "Invalid chunk header", "501 Transfer-Encoding: gzip",
				"Transfer-Encoding", "501 CONNECT", "CONNECT is not served", "505 HTTP/2.0", "send HTTP/1.1",
				"417 Expect: 200-ok", "100-continue");

		answers.forEach((expected, response) -> {
			int status = Integer.parseInt(expected.substring(0, 3));
			assertThat(response.status()).as(expected + ": " + response.body()).isEqualTo(status);
			assertThat(response.contentType()).as(expected).startsWith("application/problem+json");
			JsonNode problem = response.json();
			assertThat(problem.get("type").asString()).as(expected).startsWith("urn:spawn-telemetry:problem:");
			assertThat(problem.get("status").asInt()).as(expected).isEqualTo(status);
			assertThat(problem.get("detail").asString()).as(expected)
				.isNotBlank()
				.doesNotContain("Exception")
				.contains(named.getOrDefault(expected, ""));
			assertThat(problem.get("type").asString()).as(expected)
				.isNotEqualTo("urn:spawn-telemetry:problem:internal-error");
			assertThat(response.header("X-Content-Type-Options")).as(expected).isEqualTo("nosniff");
			assertThat(response.header("Cache-Control")).as(expected).isEqualTo("no-store");
		});
	}

	@Test
	void tellsCachesHowToKeepEachAnswer() {
		Response write = this.api.post("/spawns", "{}");
		Response stats = this.api.get("/stats");
		Response dashboard = this.api.get("/");

		assertThat(write.header("Cache-Control")).isEqualTo("no-store");
		assertThat(stats.header("Cache-Control")).isEqualTo("no-cache");
		assertThat(stats.header("ETag")).isNotBlank();
		assertThat(dashboard.header("Cache-Control")).isEqualTo("no-cache");
		for (Response response : List.of(write, stats, dashboard)) {
			assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
		}
	}

	private String createSpawn(String body) {
		Response response = this.api.post("/spawns", body);
		assertThat(response.status()).as(response.body()).isEqualTo(201);
		return response.json().get("spawn_id").asString();
	}

	private long totalSpawns() {
		return this.api.get("/stats").json().get("total_spawns").asLong();
	}

	private static void assertProblem(Response response, int status, String type) {
		assertThat(response.status()).as(response.body()).isEqualTo(status);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.json().get("type").asString()).isEqualTo("urn:spawn-telemetry:problem:" + type);
	}

}
