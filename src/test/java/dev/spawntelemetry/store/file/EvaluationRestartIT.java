package dev.spawntelemetry.store.file;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.spawntelemetry.ServiceProcess;
import dev.spawntelemetry.TestApi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The propensity sums an evaluation reads survive a kill -9 (from the journal) and an
 * upgrade from a file written before they were kept (counted once from the spawns it
 * keeps, however often the service then restarts).
 */
class EvaluationRestartIT {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@TempDir
	Path dataDirectory;

	@Test
	void answersTheSameEvaluationAfterAKillAndAfterAnUpgradeFromAFileWithoutTheSums() throws Exception {
		JsonNode before;
		try (ServiceProcess service = ServiceProcess.start(this.dataDirectory)) {
			TestApi api = service.api();
			for (int i = 0; i < 150; i++) {
				JsonNode spawn = api
					.post("/spawns", "{\"caste\":\"builder\",\"route\":{\"candidates\":[\"a\",\"b\",\"c\"]}}")
					.json();
				String outcome = (spawn.get("selected_model").asString().equals("a") || i % 4 == 0) ? "completed"
						: "failed";
				assertThat(api
					.put("/spawns/" + spawn.get("spawn_id").asString() + "/outcome",
							"{\"outcome\":\"" + outcome + "\",\"tokens\":" + i + "}")
					.status()).isEqualTo(200);
			}
			before = evaluation(api);
			assertThat(before.get("routed").asLong()).isEqualTo(150);
			service.kill();
		}
		try (ServiceProcess service = ServiceProcess.start(this.dataDirectory)) {
			assertThat(evaluation(service.api())).as("after kill -9").isEqualTo(before);
		}
		Path file = this.dataDirectory.resolve("telemetry.json");
		ObjectNode written = (ObjectNode) JSON.readTree(Files.readAllBytes(file));
		int removed = withoutPropensitySums(written.get("time_buckets"));
		assertThat(removed).as("cells that held sums").isPositive();
		written.put("version", "1.5");
		Files.write(file, JSON.writeValueAsBytes(written));
		Path journal = this.dataDirectory.resolve("telemetry.journal");
		assertThat(!Files.exists(journal) || Files.size(journal) == 0).as("a clean stop leaves the journal empty")
			.isTrue();
		for (int start = 0; start < 2; start++) {
			try (ServiceProcess service = ServiceProcess.start(this.dataDirectory)) {
				JsonNode after = evaluation(service.api());
				assertThat(after.get("routed")).isEqualTo(before.get("routed"));
				assertSameEstimates(after.get("policies"), before.get("policies"));
			}
		}
	}

	private static JsonNode evaluation(TestApi api) {
		JsonNode evaluation = api.get("/routes/builder/evaluation?days=1").json();
		((ObjectNode) evaluation).remove("version");
		return evaluation;
	}

	/** Numbers equal but for the order in which the sums were added. */
	private static void assertSameEstimates(JsonNode actual, JsonNode expected) {
		if (expected.isNumber()) {
			assertThat(actual.asDouble()).isCloseTo(expected.asDouble(), within(1e-9 * Math.abs(expected.asDouble())));
		}
		else if (expected.isContainer()) {
			assertThat(actual.size()).isEqualTo(expected.size());
			for (Map.Entry<String, JsonNode> field : expected.properties()) {
				assertSameEstimates(actual.get(field.getKey()), field.getValue());
			}
			for (int i = 0; expected.isArray() && i < expected.size(); i++) {
				assertSameEstimates(actual.get(i), expected.get(i));
			}
		}
		else {
			assertThat(actual).isEqualTo(expected);
		}
	}

	private static int withoutPropensitySums(JsonNode buckets) {
		int removed = 0;
		for (JsonNode cells : buckets) {
			for (Iterator<JsonNode> each = cells.iterator(); each.hasNext();) {
				ObjectNode cell = (ObjectNode) each.next();
				if (cell.remove("propensity_sums") != null) {
					removed++;
				}
			}
		}
		return removed;
	}

}
