package dev.spawntelemetry.store.postgres;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.spawntelemetry.ServiceProcess;
import dev.spawntelemetry.TestApi;
import dev.spawntelemetry.TestDataDirectories;
import dev.spawntelemetry.TestPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A database from before the propensity sums and the bucket totals (migration 6) gains
 * them from what it holds: migration 7 counts the routed spawns in as their outcomes
 * would have, migration 8 sums the buckets, so the evaluation and the trend of every
 * spawn answer as they did when they were written one by one.
 */
class PropensitySumsMigrationIT {

	static final TestPostgres.Database database = TestPostgres.createDatabase();

	@AfterAll
	static void dropDatabase() {
		database.close();
	}

	@Test
	void countsWhatADatabaseFromBeforeHoldsIntoThePropensitySumsAndTheBucketTotals() throws Exception {
		JsonNode written;
		JsonNode trend;
		Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
		String trendPath = "/stats/trends?bucket=hour&from=" + hour.minus(Duration.ofDays(1)) + "&to="
				+ hour.plus(Duration.ofHours(2));
		try (ServiceProcess replica = replica()) {
			TestApi api = replica.api();
			for (int i = 0; i < 120; i++) {
				String taskClass = (i % 2 == 0) ? "" : ",\"task_class\":\"default\"";
				JsonNode spawn = api
					.post("/spawns",
							"{\"caste\":\"builder\",\"route\":{\"candidates\":[\"a\",\"b\",\"c\",\"d\"]" + taskClass
									+ "}}")
					.json();
				String outcome = (i % 3 == 0) ? "completed" : (i % 3 == 1) ? "failed" : "blocked";
				api.put("/spawns/" + spawn.get("spawn_id").asString() + "/outcome",
						"{\"outcome\":\"" + outcome + "\",\"tokens\":" + (10 * i) + "}");
			}
			api.post("/spawns", "{\"caste\":\"builder\",\"route\":{\"candidates\":[\"a\",\"b\"]}}");
			written = api.get("/routes/builder/evaluation?days=1").json();
			trend = api.get(trendPath).json();
		}
		assertThat(written.get("routed").asLong()).isEqualTo(120);
		try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
			statement.execute("DROP TABLE bucket_propensities");
			statement.execute("DROP TABLE bucket_totals");
			statement.execute("DROP AGGREGATE telemetry_sum_counts(bigint[])");
			statement.execute("DELETE FROM flyway_schema_history WHERE version IN ('7', '8')");
		}
		try (ServiceProcess replica = replica()) {
			assertThat(replica.api().get(trendPath).json()).isEqualTo(trend);
			assertThat(trend.get("total").get("spawns").asLong()).isEqualTo(121);
			JsonNode migrated = replica.api().get("/routes/builder/evaluation?days=1").json();
			((ObjectNode) written).remove("version");
			((ObjectNode) migrated).remove("version");
			assertThat(migrated.get("routed")).isEqualTo(written.get("routed"));
			for (int i = 0; i < written.get("policies").size(); i++) {
				JsonNode before = written.get("policies").get(i);
				JsonNode after = migrated.get("policies").get(i);
				assertThat(after.get("summary")).isEqualTo(before.get("summary"));
				assertThat(after.get("effective_sample_size").asDouble())
					.isCloseTo(before.get("effective_sample_size").asDouble(), within(1e-9));
				if (before.get("snips").isObject()) {
					assertThat(after.get("snips").get("estimate").asDouble())
						.isCloseTo(before.get("snips").get("estimate").asDouble(), within(1e-12));
					assertThat(after.get("tokens_per_resolved").asDouble())
						.isCloseTo(before.get("tokens_per_resolved").asDouble(), within(1e-9));
				}
			}
		}
	}

	private static ServiceProcess replica() {
		return ServiceProcess.start(TestDataDirectories.create(), "--telemetry.storage.type=postgres",
				"--spring.datasource.url=" + database.url());
	}

}
