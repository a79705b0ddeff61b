package dev.spawntelemetry.routing;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.spawntelemetry.ServiceTest;
import dev.spawntelemetry.TestApi;
import dev.spawntelemetry.TestApi.Response;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Routing through HTTP: the service chooses, records and answers retries with its choice;
 * asked without recording, it states its probabilities and evidence.
 */
@ServiceTest(properties = { "telemetry.routing.candidates.configured-caste=conf-a,conf-b",
		"telemetry.routing.gauge-refresh=200ms", "telemetry.routing.task-classes.refactor=refactor,rename",
		"telemetry.routing.task-classes.docs=document,README" })
class RoutingApiIT {

	@Autowired
	TestApi api;

	/**
	 * Each test routes its own caste, so tests sharing the server never see each other.
	 */
	String caste;

	@BeforeEach
	void setUp() {
		this.caste = "caste-" + UUID.randomUUID();
	}

	@Test
	void routesARecordedSpawnKeepsItsRouteAndAnswersARetryWithTheSameChoice() {
		record("good", 20, "completed");
		record("bad", 20, "failed");
		String body = """
				{"spawn_id":"%s","task":"t","caste":"%s","route":{"candidates":["good","bad"]}}
				""".formatted(this.caste + "-1", this.caste);

		Response created = this.api.post("/spawns", body);

		assertThat(created.status()).isEqualTo(201);
		JsonNode spawn = created.json();
		assertThat(spawn.get("source").asString()).isEqualTo("telemetry");
		JsonNode route = spawn.get("route");
		assertThat(route.get("policy").asString()).isEqualTo("thompson-discounted");
		assertThat(route.get("candidates").valueStream().map(JsonNode::asString)).containsExactly("good", "bad");
		assertThat(route.get("reason").asString()).contains(spawn.get("selected_model").asString());
		double propensity = route.get("propensity").asDouble();
		assertThat(propensity).isBetween(0.001, 1.0);
		JsonNode read = this.api.get("/spawns/" + this.caste + "-1").json();
		assertThat(read).isEqualTo(spawn);
		for (int i = 0; i < 3; i++) {
			Response retry = this.api.post("/spawns", body);
			assertThat(retry.status()).isEqualTo(200);
			assertThat(retry.json()).isEqualTo(spawn);
		}
		Response otherCandidates = this.api.post("/spawns", """
				{"spawn_id":"%s","caste":"%s","task":"t","route":{"candidates":["good"]}}
				""".formatted(this.caste + "-1", this.caste));
		assertThat(otherCandidates.status()).isEqualTo(409);
		assertThat(otherCandidates.json().get("detail").asString()).contains("route.candidates");

		JsonNode asked = this.api.get("/routes/" + this.caste + "?candidates=good,bad").json();
		JsonNode good = asked.get("candidates").get(0);
		assertThat(good.get("model").asString()).isEqualTo("good");
		assertThat(good.get("probability").asDouble()).isGreaterThan(0.99);
		// the floor, and the (tiny, exact) chance that the bad one is the best
		assertThat(asked.get("candidates").get(1).get("probability").asDouble()).isBetween(0.001, 0.001 + 1e-6);
		assertThat(good.get("lifetime").get("resolved").asLong()).isEqualTo(20);
		assertThat(good.get("recent").get("posterior_mean").asDouble()).isGreaterThan(0.9);
		assertThat(good.get("recent").get("low").asDouble()).isLessThan(good.get("recent").get("high").asDouble());
		assertThat(asked.get("model").asString()).isIn("good", "bad");
	}

	@Test
	void answersExactProbabilitiesThatSumToOneAndAreThePropensityRecordedAtTheSameState() {
		record("a", 7, "completed");
		record("a", 5, "failed");
		record("b", 3, "completed");
		record("b", 4, "failed");
		record("c", 1, "failed");
		JsonNode asked = this.api.get("/routes/" + this.caste + "?candidates=a,b,c").json();
		double sum = 0;
		for (JsonNode candidate : asked.get("candidates")) {
			sum += candidate.get("probability").asDouble();
		}
		assertThat(sum).isCloseTo(1.0, within(1e-12));

		JsonNode spawn = this.api.post("/spawns", """
				{"task":"t","caste":"%s","route":{"candidates":["a","b","c"]}}
				""".formatted(this.caste)).json();

		String chosen = spawn.get("selected_model").asString();
		double asAsked = asked.get("candidates")
			.valueStream()
			.filter((candidate) -> candidate.get("model").asString().equals(chosen))
			.findFirst()
			.orElseThrow()
			.get("probability")
			.asDouble();
		assertThat(spawn.get("route").get("propensity").asDouble()).isEqualTo(asAsked);
	}

	@Test
	void routesByTheTaskClassNamedOrFoundInTheTaskAndKeepsItWithTheRoute() {
		String named = this.api.post("/spawns", """
				{"task":"anything","caste":"%s","route":{"candidates":["a","b"],"task_class":"docs"}}
				""".formatted(this.caste)).json().get("route").get("task_class").asString();
		JsonNode classified = this.api.post("/spawns", """
				{"task":"Rename the flags","caste":"%s","route":{"candidates":["a","b"]}}
				""".formatted(this.caste)).json();
		JsonNode unmatched = this.api.post("/spawns", """
				{"task":"fix the build","caste":"%s","route":{"candidates":["a","b"]}}
				""".formatted(this.caste)).json();
		Response unknown = this.api.post("/spawns", """
				{"task":"t","caste":"%s","route":{"candidates":["a","b"],"task_class":"poetry"}}
				""".formatted(this.caste));

		assertThat(named).isEqualTo("docs");
		assertThat(classified.get("route").get("task_class").asString()).isEqualTo("refactor");
		assertThat(this.api.get("/spawns/" + classified.get("spawn_id").asString()).json().get("route"))
			.isEqualTo(classified.get("route"));
		assertThat(unmatched.get("route").get("task_class").asString()).isEqualTo("default");
		assertThat(unknown.status()).isEqualTo(400);
		assertThat(unknown.json().get("detail").asString()).contains("'poetry' is not configured", "refactor", "docs");
		assertThat(this.api.get("/routes/" + this.caste + "?candidates=a,b&task_class=docs")
			.json()
			.get("task_class")
			.asString()).isEqualTo("docs");
		assertThat(this.api.get("/routes/" + this.caste + "?candidates=a,b&task=update+the+readme")
			.json()
			.get("task_class")
			.asString()).isEqualTo("docs");
		assertThat(this.api.get("/routes/" + this.caste + "?candidates=a,b").json().get("task_class").asString())
			.isEqualTo("default");
	}

	@Test
	void refusesCandidatesThatAreEmptyRepeatedOrInvalidAndAModelBeside() {
		for (String route : new String[] { "{\"candidates\":[]}", "{\"candidates\":[\"a\",\"a\"]}",
				"{\"candidates\":[\"a\",\"bad name\"]}", "{\"candidates\":[\"a\"],\"objective\":\"speed\"}" }) {
			Response refused = this.api.post("/spawns", "{\"caste\":\"" + this.caste + "\",\"route\":" + route + "}");
			assertThat(refused.status()).as(route).isEqualTo(400);
			assertThat(refused.contentType()).isEqualTo("application/problem+json");
			assertThat(refused.json().get("detail").asString()).as(route).contains("route");
		}
		Response both = this.api.post("/spawns",
				"{\"caste\":\"" + this.caste + "\",\"model\":\"a\",\"route\":{\"candidates\":[\"a\"]}}");
		assertThat(both.status()).isEqualTo(400);
		assertThat(both.json().get("detail").asString()).contains("either model", "or route");
		Response none = this.api.post("/spawns", "{\"caste\":\"" + this.caste + "\",\"route\":{}}");
		assertThat(none.status()).isEqualTo(400);
		assertThat(none.json().get("detail").asString()).contains("no candidates for caste");
		assertThat(this.api.get("/routes/" + this.caste + "?candidates=a,,b").status()).isEqualTo(400);
		assertThat(this.api.get("/spawns?caste=" + this.caste).json().get("spawns")).isEmpty();
	}

	@Test
	void takesCandidatesFromTheConfigurationThenFromTheModelsSeen() {
		Response configured = this.api.post("/spawns", "{\"caste\":\"configured-caste\",\"route\":{}}");
		assertThat(configured.status()).isEqualTo(201);
		assertThat(configured.json().get("route").get("candidates").valueStream().map(JsonNode::asString))
			.containsExactly("conf-a", "conf-b");

		record("seen-1", 1, "completed");
		record("seen-2", 1, "failed");
		Response seen = this.api.post("/spawns", "{\"caste\":\"" + this.caste + "\",\"route\":{}}");
		assertThat(seen.status()).isEqualTo(201);
		assertThat(seen.json().get("route").get("candidates").valueStream().map(JsonNode::asString))
			.containsExactlyInAnyOrder("seen-1", "seen-2");
	}

	@Test
	void answersTheSameRouteForTheSameStateWithAnETag() {
		record("m1", 3, "completed");
		Response first = this.api.get("/routes/" + this.caste + "?candidates=m1,m2");
		String etag = first.header("ETag");

		Response again = this.api.get("/routes/" + this.caste + "?candidates=m1,m2");
		Response notModified = this.api.get("/routes/" + this.caste + "?candidates=m1,m2",
				Map.of("If-None-Match", etag));
		record("m2", 1, "completed");
		Response changed = this.api.get("/routes/" + this.caste + "?candidates=m1,m2", Map.of("If-None-Match", etag));

		assertThat(again.json()).isEqualTo(first.json());
		assertThat(notModified.status()).isEqualTo(304);
		assertThat(changed.status()).isEqualTo(200);
		assertThat(changed.header("ETag")).isNotEqualTo(etag);
	}

	@Test
	void listsADriftAlarmAndReportsItToPrometheus() {
		String model = "drifting-" + UUID.randomUUID().toString().substring(0, 8);
		record(model, 100, "completed");
		record(model, 40, "failed");

		JsonNode alerts = this.api.get("/stats/alerts").json();
		JsonNode alert = alerts.get("alerts")
			.valueStream()
			.filter((each) -> each.get("caste").asString().equals(this.caste))
			.findFirst()
			.orElseThrow();
		assertThat(alert.get("model").asString()).isEqualTo(model);
		assertThat(alert.get("before").asDouble()).isGreaterThan(0.9);
		assertThat(alert.get("after").asDouble()).isLessThan(0.2);
		assertThat(alert.get("outcomes_since_change").asLong()).isBetween(1L, 40L);
		JsonNode route = this.api.get("/routes/" + this.caste + "?candidates=" + model).json();
		assertThat(route.get("candidates").get(0).get("alarm").get("at").asString())
			.isEqualTo(alert.get("at").asString());
		await().atMost(java.time.Duration.ofMinutes(1))
			.untilAsserted(() -> assertThat(this.api.get("/actuator/prometheus").body())
				.contains("spawn_telemetry_drift_alarm{caste=\"" + this.caste + "\",model=\"" + model + "\""));
	}

	private void record(String model, int count, String outcome) {
		for (int i = 0; i < count; i++) {
			String spawnId = this.api.recordSpawn(this.caste, model, "test");
			this.api.recordOutcome(spawnId, outcome);
		}
	}

}
