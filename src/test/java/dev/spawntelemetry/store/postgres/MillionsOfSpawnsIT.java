package dev.spawntelemetry.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.spawntelemetry.Json;
import dev.spawntelemetry.ServiceProcess;
import dev.spawntelemetry.TestApi;
import dev.spawntelemetry.TestDataDirectories;
import dev.spawntelemetry.TestPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Millions of spawns within the retention, inserted straight into a database from before
 * time buckets: the migration counts them into their buckets, and a replica with a heap
 * of 256 MiB answers {@code days=30} on both window reads with the exact counts, because
 * the database aggregates the buckets, and goes on taking writes.
 */
class MillionsOfSpawnsIT {

	private static final int SPAWNS = 3_000_000;

	private static final int MODELS = 4;

	private static final int CASTES = 3;

	static final TestPostgres.Database database = TestPostgres.createDatabase();

	@AfterAll
	static void dropDatabase() {
		database.close();
	}

	@Test
	void aSmallHeapAnswersWindowsOverMillionsOfSpawnsExactly() throws Exception {
		// the spawns of a database from before time buckets, counted into them by the
		// migration
		Flyway.configure().dataSource(database.url(), null, null).target("2").load().migrate();
		insertSpawns();
		long migrating = System.nanoTime();
		Flyway.configure()
			.dataSource(database.url(), null, null)
			.javaMigrations(new KeptSpawnsIntoTimeBuckets(java.time.Clock.systemUTC()))
			.load()
			.migrate();
		long migrationMillis = (System.nanoTime() - migrating) / 1_000_000;
		try (ServiceProcess replica = ServiceProcess.start(TestDataDirectories.create(),
				"--telemetry.storage.type=postgres", "--spring.datasource.url=" + database.url(),
				"--telemetry.storage.read-timeout=120s")) {
			TestApi api = replica.api();

			long started = System.nanoTime();
			TestApi.Response routing = api.get("/stats/routing?days=30");
			long routingMillis = (System.nanoTime() - started) / 1_000_000;
			assertThat(routing.status()).as(routing.body()).isEqualTo(200);
			assertThat(routing.json().get("total_decisions").asLong()).isEqualTo(SPAWNS);
			for (int model = 0; model < MODELS; model++) {
				assertThat(routing.json().get("by_model").get("m" + model).asLong()).isEqualTo(SPAWNS / MODELS);
			}
			assertThat(routing.json().get("by_source").get("task-based").asLong()).isEqualTo(SPAWNS / 2);

			started = System.nanoTime();
			TestApi.Response advice = api.get("/recommendations?caste=c1&days=30");
			long adviceMillis = (System.nanoTime() - started) / 1_000_000;
			assertThat(advice.status()).as(advice.body()).isEqualTo(200);
			for (JsonNode model : advice.json().get("models")) {
				int m = Integer.parseInt(model.get("model").asString().substring(1));
				long[] expected = expectedOutcomes(m, 1);
				assertThat(model.get("spawns").asLong()).isEqualTo(expected[0]);
				assertThat(model.get("completed").asLong()).isEqualTo(expected[1]);
				assertThat(model.get("failed").asLong()).isEqualTo(expected[2]);
				assertThat(model.get("blocked").asLong()).isEqualTo(expected[3]);
			}
			assertThat(advice.json().get("models")).hasSize(MODELS);

			assertThat(api.post("/spawns", Json.object("caste", "c1", "model", "m1", "task", "after")).status())
				.isEqualTo(201);
			assertThat(api.get("/actuator/health").status()).isEqualTo(200);
			assertThat(api.get("/stats/routing?days=30").json().get("total_decisions").asLong()).isEqualTo(SPAWNS + 1);
			System.out.printf(
					"%,d spawns counted into time buckets in %d ms; -Xmx256m: /stats/routing?days=30 in %d ms, "
							+ "/recommendations?days=30 in %d ms%n",
					SPAWNS, migrationMillis, routingMillis, adviceMillis);
		}
	}

	/** Spawns, completed, failed, blocked of one model and caste, as inserted. */
	private static long[] expectedOutcomes(int model, int caste) {
		long[] counts = new long[4];
		for (int i = 1; i <= SPAWNS; i++) {
			if (i % MODELS == model && i % CASTES == caste) {
				counts[0]++;
				int outcome = i % 5;
				if (outcome < 3) {
					counts[1 + outcome]++;
				}
			}
		}
		return counts;
	}

	private static void insertSpawns() throws Exception {
		Instant now = Instant.now();
		try (Connection connection = database.connect(); PreparedStatement insert = connection.prepareStatement("""
				INSERT INTO spawns (spawn_id, spawned_at, spawned_nanos, task, caste, model, source, outcome,
				    completed_at, tokens, tools_read, tools_grep, tools_edit, tools_bash, usage_keys,
				    created_version, version)
				SELECT 'bulk-' || i, ?::timestamptz - (i % 1000000) * interval '1 second', 0,
				    'a task of the bulk', 'c' || (i % 3), 'm' || (i % 4),
				    CASE WHEN i % 2 = 0 THEN 'task-based' ELSE 'caste-default' END,
				    (ARRAY['completed', 'failed', 'blocked'])[i % 5 + 1],
				    CASE WHEN i % 5 < 3 THEN ?::timestamptz - (i % 1000000) * interval '1 second'
				        + (i % 7200) * interval '1 second' END,
				    i % 5000, 1, 2, 3, 4, '{}', 0, 0
				FROM generate_series(1, ?) AS i
				""")) {
			OffsetDateTime at = OffsetDateTime.ofInstant(now.minus(Duration.ofMinutes(1)), ZoneOffset.UTC);
			insert.setObject(1, at);
			insert.setObject(2, at);
			insert.setInt(3, SPAWNS);
			insert.executeUpdate();
		}
		try (Connection connection = database.connect(); java.sql.Statement statement = connection.createStatement()) {
			// lifetime aggregates to match, as the writer would have kept them
			statement.execute("""
					INSERT INTO model_stats (model, total_spawns, completed, failed, blocked, version)
					SELECT model, count(*), count(*) FILTER (WHERE outcome = 'completed'),
					    count(*) FILTER (WHERE outcome = 'failed'), count(*) FILTER (WHERE outcome = 'blocked'), 0
					FROM spawns GROUP BY model
					""");
			statement.execute("""
					INSERT INTO caste_stats (model, caste, spawns, completed, failed, blocked, tokens, tools_read,
					    tools_grep, tools_edit, tools_bash, clock_skew, durations_completed, durations_failed,
					    durations_blocked, version)
					SELECT model, caste, count(*), count(*) FILTER (WHERE outcome = 'completed'),
					    count(*) FILTER (WHERE outcome = 'failed'), count(*) FILTER (WHERE outcome = 'blocked'),
					    sum(tokens), sum(tools_read), sum(tools_grep), sum(tools_edit), sum(tools_bash), 0,
					    '{}', '{}', '{}', 0
					FROM spawns GROUP BY model, caste
					""");
		}
	}

}
