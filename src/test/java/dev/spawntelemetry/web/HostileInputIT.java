package dev.spawntelemetry.web;

import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import dev.spawntelemetry.ServiceTest;
import dev.spawntelemetry.TestApi;
import dev.spawntelemetry.TestApi.Response;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Broken and hostile requests: each gets a 4xx problem a person can act on, never a 5xx,
 * and nothing of it is stored.
 */
@ServiceTest
class HostileInputIT {

	@Autowired
	TestApi api;

	String spawnId;

	JsonNode statsBefore;

	@BeforeEach
	void setUp() {
		this.spawnId = this.api.recordSpawn("builder", "kimi-k2.5", "task-based");
		this.statsBefore = this.api.get("/stats").json();
	}

	@AfterEach
	void nothingWasStored() {
		assertThat(this.api.get("/stats").json()).isEqualTo(this.statsBefore);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/spawns?castee=builder", "/stats?verbose=1", "/stats/routing?days=1&cast=builder",
			"/recommendations?caste=builder&minresolved=3" })
	void refusesQueryParametersTheResourceDoesNotKnowAndNamesThoseItDoes(String target) {
		Response response = this.api.get(target);

		assertThat(response.status()).as(response.body()).isEqualTo(400);
		assertThat(response.contentType()).startsWith("application/problem+json");
		String unknown = target.substring(target.lastIndexOf(target.contains("&") ? '&' : '?') + 1).split("=")[0];
		assertThat(response.json().get("detail").asString()).contains("'" + unknown + "'")
			.containsAnyOf("this resource takes none", "this resource takes ");
		if (target.startsWith("/spawns")) {
			assertThat(response.json().get("detail").asString()).contains("caste, model, source, outcome, limit");
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "/spawns?limit=1&limit=1000", "/spawns?caste=a&caste=b",
			"/stats/routing?caste=builder&caste=scout", "/recommendations?caste=builder&caste=scout" })
	void refusesASingleValuedParameterGivenTwice(String target) {
		Response response = this.api.get(target);

		assertThat(response.status()).as(response.body()).isEqualTo(400);
		assertThat(response.json().get("detail").asString()).contains("must be given once");
	}

	@Test
	void refusesACompressedBodyWith415AndSaysWhatIsAccepted() throws Exception {
		java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
		try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(bytes)) {
			gzip.write("{\"caste\":\"builder\",\"model\":\"glm-5\",\"spawn_id\":\"zipped\"}".getBytes());
		}
		Response response = this.api.postBytes("/spawns", bytes.toByteArray(),
				java.util.Map.of("Content-Type", "application/json", "Content-Encoding", "gzip"));

		assertThat(response.status()).as(response.body()).isEqualTo(415);
		assertThat(response.header("Accept-Encoding")).isEqualTo("identity");
		assertThat(response.json().get("detail").asString()).contains("gzip").contains("identity");
		assertThat(this.api.get("/spawns/zipped").status()).isEqualTo(404);
	}

	static Stream<Arguments> badSpawns() {
		return Stream.of(Arguments.of("not json", "not valid JSON"),
				Arguments.of("[{\"caste\":\"builder\"}]", "JSON object"), Arguments.of("\"builder\"", "JSON object"),
				Arguments.of("{\"caste\":5}", "caste must be a string"),
				Arguments.of("{\"caste\":true}", "caste must be a string"),
				Arguments.of("{\"caste\":[\"builder\"]}", "caste must be a string"),
				Arguments.of("{\"model\":{\"name\":\"x\"}}", "model must be a string"),
				Arguments.of("{\"timestamp\":\"2026-13-45T99:00:00Z\"}", "ISO-8601"),
				Arguments.of("{\"timestamp\":\"25/11/2026\"}", "ISO-8601"),
				Arguments.of("{\"timestamp\":1764072000}", "timestamp must be a string"),
				Arguments.of("{\"task\":\"" + "x".repeat(4097) + "\"}", "task"),
				Arguments.of("{\"caste\":\"" + "c".repeat(129) + "\"}", "caste must be 1 to 128 of the characters"),
				Arguments.of("{\"model\":\"kimi\\u0000k2\"}", "model must be 1 to 128 of the characters"),
				Arguments.of("{\"source\":\"line\\nbreak\"}", "source must be 1 to 128 of the characters"),
				Arguments.of("{\"caste\":\"   \"}", "caste must be 1 to 128 of the characters"),
				Arguments.of("{\"spawn_id\":\"\"}", "spawn_id"),
				Arguments.of("{\"spawn_id\":\"" + "a".repeat(65) + "\"}", "spawn_id"),
				Arguments.of("{\"spawn_id\":\"../../etc/passwd\"}", "spawn_id"));
	}

	@ParameterizedTest
	@MethodSource("badSpawns")
	void refusesBadSpawn(String body, String detail) {
		assertBadRequest(this.api.post("/spawns", body), detail);
	}

	@ParameterizedTest
	@ValueSource(strings = { "{}", "{\"outcome\":\"succeeded\"}", "{\"outcome\":5}", "{\"outcome\":null}",
			"{\"outcome\":\"completed\",\"tokens\":-1}", "{\"outcome\":\"completed\",\"tokens\":1.5}",
			"{\"outcome\":\"completed\",\"tokens\":\"12\"}", "{\"outcome\":\"completed\",\"tokens\":1e30}",
			"{\"outcome\":\"completed\",\"tokens\":123456789012345678901234567890}",
			"{\"outcome\":\"completed\",\"tokens\":1000000000001}", "{\"outcome\":\"completed\",\"tools\":{\"web\":1}}",
			"{\"outcome\":\"completed\",\"tools\":{\"read\":-2}}", "{\"outcome\":\"completed\",\"tools\":[1,2]}",
			"{\"outcome\":\"completed\",\"tools\":{\"read\":null}}" })
	void refusesBadOutcome(String body) {
		Response response = this.api.put("/spawns/" + this.spawnId + "/outcome", body);

		assertBadRequest(response, "");
		assertThat(this.api.get("/spawns/" + this.spawnId).json().get("outcome").isNull()).isTrue();
	}

	@Test
	void namesAnOutOfRangeNumberAsSuch() {
		Response response = this.api.put("/spawns/" + this.spawnId + "/outcome",
				"{\"outcome\":\"completed\",\"tokens\":123456789012345678901234567890}");

		assertBadRequest(response, "out of range");
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"tokens\":-5}", "{\"tokens\":9223372036854775807}", "{\"tools\":{\"bash\":1e3}}",
			"{\"tools\":{\"shell\":1}}", "[]", "{\"tools\":\"many\"}" })
	void refusesBadUsage(String body) {
		assertBadRequest(this.api.post("/spawns/" + this.spawnId + "/usage", body), "");
	}

	@ParameterizedTest
	@ValueSource(strings = { "/stats/routing?days=0", "/stats/routing?days=-3", "/stats/routing?days=abc",
			"/stats/routing?days=99999999999", "/spawns?limit=100000", "/spawns?limit=0", "/spawns?limit=ten",
			"/spawns?outcome=won" })
	void refusesBadQueryParameters(String path) {
		assertBadRequest(this.api.get(path), "");
	}

	@Test
	void refusesBodiesOverTheLimitWithDeclaredLength() {
		Response response = this.api.post("/spawns", "{\"task\":\"" + "x".repeat(70_000) + "\"}");

		assertThat(response.status()).isEqualTo(413);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.json().get("detail").asString()).contains("65536 bytes");
	}

	@Test
	void refusesChunkedBodiesOverTheLimit() {
		Response response = this.api.postChunked("/spawns", "{\"task\":\"" + "x".repeat(70_000) + "\"}");

		assertThat(response.status()).isEqualTo(413);
		assertThat(response.contentType()).startsWith("application/problem+json");
	}

	@Test
	void acceptsAChunkedBodyUnderTheLimit() {
		Response response = this.api.postChunked("/spawns", "{\"caste\":\"builder\",\"model\":\"kimi-k2.5\"}");

		assertThat(response.status()).isEqualTo(201);
		this.statsBefore = this.api.get("/stats").json();
	}

	@Test
	void refusesOtherMediaTypesAndMethods() {
		Response text = this.api.send("POST", "/spawns", "caste=builder",
				java.util.Map.of("Content-Type", "text/plain"));
		assertThat(text.status()).isEqualTo(415);
		assertThat(text.contentType()).startsWith("application/problem+json");
		Response delete = this.api.send("DELETE", "/spawns/" + this.spawnId, null, java.util.Map.of());
		assertThat(delete.status()).isEqualTo(405);
		assertThat(delete.contentType()).startsWith("application/problem+json");
	}

	private static void assertBadRequest(Response response, String detail) {
		assertThat(response.status()).as(response.body()).isEqualTo(400);
		assertThat(response.contentType()).startsWith("application/problem+json");
		JsonNode problem = response.json();
		assertThat(problem.get("type").asString()).isEqualTo("urn:spawn-telemetry:problem:invalid-request");
		assertThat(problem.get("detail").asString()).contains(detail)
			.doesNotContain("Exception")
			.doesNotContain("java.")
			.doesNotContain("tools.jackson");
	}

}
