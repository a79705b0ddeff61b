package dev.spawntelemetry.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.spawntelemetry.ServiceTest;
import dev.spawntelemetry.TestApi;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The evaluation of a caste's routing answers what the estimators' formulas give on the
 * propensities the service recorded with each routed spawn, as the test computes them
 * from the spawns it sent; spawns the client routed are counted apart, never weighted.
 */
@ServiceTest(properties = { "telemetry.routing.default.evaluated=eval-c",
		"telemetry.routing.task-classes.docs=document,readme" })
class EvaluationIT {

	private static final List<String> CANDIDATES = List.of("eval-a", "eval-b", "eval-c");

	private static final Map<String, Double> RATES = Map.of("eval-a", 0.8, "eval-b", 0.5, "eval-c", 0.3);

	@Autowired
	TestApi api;

	@Test
	void estimatesEveryPolicyFromTheRecordedPropensitiesAndCountsTheClientsChoicesApart() {
		Random random = new Random(11);
		List<Sent> sent = new ArrayList<>();
		for (int i = 0; i < 300; i++) {
			String task = (i % 3 == 0) ? "document the API" : "fix the build";
			JsonNode spawn = this.api
				.post("/spawns",
						"{\"caste\":\"evaluated\",\"task\":\"" + task
								+ "\",\"route\":{\"candidates\":[\"eval-a\",\"eval-b\",\"eval-c\"]}}")
				.json();
			String model = spawn.get("selected_model").asString();
			boolean completed = random.nextDouble() < RATES.get(model);
			assertThat(
					this.api
						.put("/spawns/" + spawn.get("spawn_id").asString() + "/outcome",
								"{\"outcome\":\"" + (completed ? "completed" : "failed") + "\",\"tokens\":" + (100 + i)
										+ "}")
						.status())
				.isEqualTo(200);
			sent.add(new Sent(model, spawn.get("route").get("propensity").asDouble(),
					spawn.get("route").get("task_class").asString(), completed, 100 + i));
		}
		for (int i = 0; i < 12; i++) {
			this.api.recordOutcome(this.api.recordSpawn("evaluated", "eval-c", "static"),
					(i < 9) ? "completed" : "blocked");
		}
		this.api.recordSpawn("evaluated", "eval-a", "static");

		TestApi.Response response = this.api.get("/routes/evaluated/evaluation?days=1");

		assertThat(response.status()).isEqualTo(200);
		JsonNode evaluation = response.json();
		assertThat(evaluation.get("routed").asLong()).isEqualTo(300);
		assertThat(evaluation.get("chosen_by_client").get("resolved").asLong()).isEqualTo(12);
		assertThat(evaluation.get("chosen_by_client").get("completed").asLong()).isEqualTo(9);
		JsonNode logged = policy(evaluation, "logged", null);
		assertThat(logged.get("snips").get("estimate").asDouble())
			.isCloseTo(sent.stream().filter(Sent::completed).count() / 300.0, within(1e-12));
		for (String model : CANDIDATES) {
			assertEstimates(policy(evaluation, "always", model), sent, (spawn) -> spawn.model().equals(model) ? 1 : 0);
		}
		assertEstimates(policy(evaluation, "uniform", null), sent, (spawn) -> 1.0 / 3);
		assertThat(policy(evaluation, "default", "eval-c").get("effective_sample_size").asDouble())
			.isEqualTo(policy(evaluation, "always", "eval-c").get("effective_sample_size").asDouble());

		JsonNode docs = this.api.get("/routes/evaluated/evaluation?days=1&task_class=docs").json();
		List<Sent> ofDocs = sent.stream().filter((spawn) -> spawn.taskClass().equals("docs")).toList();
		assertThat(docs.get("routed").asLong()).isEqualTo(ofDocs.size()).isEqualTo(100);
		assertThat(policy(docs, "always", "eval-a").get("effective_sample_size").asDouble())
			.isCloseTo(effectiveSampleSize(ofDocs, (spawn) -> spawn.model().equals("eval-a") ? 1 : 0), within(1e-6));

		String etag = response.header("ETag");
		assertThat(this.api.get("/routes/evaluated/evaluation?days=1", Map.of("If-None-Match", etag)).status())
			.isEqualTo(304);
	}

	@Test
	void refusesAWindowBeyondTheHistoryAndAClassNotConfigured() {
		TestApi.Response tooLong = this.api.get("/routes/evaluated/evaluation?days=401");
		assertThat(tooLong.status()).isEqualTo(400);
		assertThat(tooLong.json().get("detail").asString()).contains("days must be at most 400");
		TestApi.Response unknown = this.api.get("/routes/evaluated/evaluation?task_class=poetry");
		assertThat(unknown.status()).isEqualTo(400);
		assertThat(unknown.json().get("detail").asString()).contains("'poetry' is not configured", "docs");
		assertThat(this.api.get("/routes/evaluated/evaluation?days=0").status()).isEqualTo(400);
	}

	@Test
	void saysWhenAPolicyWasNotExploredEnoughToTellAndWhenTheCasteIsUnknown() {
		this.api.recordOutcome(this.api.recordSpawn("never-routed", "eval-a", "static"), "completed");
		TestApi.Response unknown = this.api.get("/routes/never-spawned/evaluation");
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.json().get("detail").asString())
			.isEqualTo("No spawn of caste 'never-spawned' was ever recorded");

		JsonNode nothing = this.api.get("/routes/never-routed/evaluation").json();
		assertThat(nothing.get("chosen_by_client").get("resolved").asLong()).isEqualTo(1);
		assertThat(nothing.get("routed").asLong()).isZero();
		assertThat(nothing.get("policies")).allSatisfy((policy) -> {
			assertThat(policy.get("enough_exploration").asBoolean()).isFalse();
			assertThat(policy.get("snips").isNull()).isTrue();
			assertThat(policy.get("summary").asString()).endsWith("not enough exploration to tell");
		});
	}

	/** IPS and SNIPS with their intervals, as docs/api.md states them. */
	private static void assertEstimates(JsonNode policy, List<Sent> sent, Weight target) {
		double n = sent.size();
		double w = 0;
		double wr = 0;
		double w2 = 0;
		double w2r = 0;
		for (Sent spawn : sent) {
			double weight = target.of(spawn) / spawn.propensity();
			double r = spawn.completed() ? 1 : 0;
			w += weight;
			wr += weight * r;
			w2 += weight * weight;
			w2r += weight * weight * r;
		}
		double ess = w * w / w2;
		assertThat(policy.get("effective_sample_size").asDouble()).isCloseTo(ess, within(1e-6 * ess));
		if (ess < 30) {
			assertThat(policy.get("enough_exploration").asBoolean()).isFalse();
			assertThat(policy.get("snips").isNull()).isTrue();
			return;
		}
		double ips = wr / n;
		double snips = wr / w;
		double ipsMargin = 1.959963984540054 * Math.sqrt(Math.max(0, w2r / n - ips * ips) / n);
		double snipsVariance = Math.max(Math.max(w2r * (1 - 2 * snips) + snips * snips * w2, 0) / (w * w),
				Math.max(snips * (1 - snips) / ess, Math.max(0, w2r / n - ips * ips) / n));
		double snipsMargin = 1.959963984540054 * Math.sqrt(snipsVariance);
		assertThat(policy.get("ips").get("estimate").asDouble()).isCloseTo(ips, within(1e-9));
		assertThat(policy.get("ips").get("low").asDouble())
			.isCloseTo(Math.max(0, Math.min(ips - ipsMargin, wilson(Math.min(1, ips), ess, -1))), within(1e-9));
		assertThat(policy.get("snips").get("estimate").asDouble()).isCloseTo(snips, within(1e-9));
		assertThat(policy.get("snips").get("high").asDouble())
			.isCloseTo(Math.min(1, Math.max(snips + snipsMargin, wilson(snips, ess, 1))), within(1e-9));
	}

	/**
	 * An end of the Wilson score interval of {@code p} over {@code n}: -1 low, 1 high.
	 */
	private static double wilson(double p, double n, int end) {
		double z = 1.959964;
		double center = (p + z * z / (2 * n)) / (1 + z * z / n);
		double margin = z / (1 + z * z / n) * Math.sqrt(p * (1 - p) / n + z * z / (4 * n * n));
		return center + end * margin;
	}

	private static double effectiveSampleSize(List<Sent> sent, Weight target) {
		double w = 0;
		double w2 = 0;
		for (Sent spawn : sent) {
			double weight = target.of(spawn) / spawn.propensity();
			w += weight;
			w2 += weight * weight;
		}
		return w * w / w2;
	}

	private static JsonNode policy(JsonNode evaluation, String name, String model) {
		for (JsonNode policy : evaluation.get("policies")) {
			if (policy.get("policy").asString().equals(name)
					&& (model == null || model.equals(policy.get("model").asString()))) {
				return policy;
			}
		}
		throw new AssertionError("no policy " + name + " " + model + " in " + evaluation);
	}

	private interface Weight {

		double of(Sent spawn);

	}

	private record Sent(String model, double propensity, String taskClass, boolean completed, long tokens) {

	}

}
