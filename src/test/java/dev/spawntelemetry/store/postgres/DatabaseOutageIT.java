package dev.spawntelemetry.store.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.spawntelemetry.Json;
import dev.spawntelemetry.ServiceTest;
import dev.spawntelemetry.TestApi;
import dev.spawntelemetry.TestPostgres;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The database goes away mid-load: every connection is cut and new ones are refused.
 * Writes are answered 503 with Retry-After and health is DOWN; nothing is half-applied;
 * both recover without a restart when the database is back.
 */
@ServiceTest(properties = { "telemetry.storage.type=postgres", "spring.datasource.hikari.connection-timeout=1000" })
class DatabaseOutageIT {

	@Autowired
	TestApi api;

	@Autowired
	TestPostgres.Database database;

	private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();

	private final Set<String> refused = ConcurrentHashMap.newKeySet();

	private final Set<String> unknown = ConcurrentHashMap.newKeySet();

	private final Set<String> unexpected = ConcurrentHashMap.newKeySet();

	private final AtomicLong slowestRefusalMillis = new AtomicLong();

	@Test
	void refusesWritesWithRetryAfterWhileTheDatabaseIsGoneAndRecoversWithoutARestart() throws Exception {
		AtomicBoolean running = new AtomicBoolean(true);
		ExecutorService clients = Executors.newFixedThreadPool(8);
		List<Future<?>> work = new ArrayList<>();
		for (int client = 0; client < 8; client++) {
			int id = client;
			work.add(clients.submit(() -> {
				for (int n = 0; running.get(); n++) {
					write(api, "c" + id + "-" + n);
				}
			}));
		}

		await().atMost(Duration.ofMinutes(2)).until(() -> this.acknowledged.size() >= 200);
		int refusedBefore = this.refused.size();
		try (AutoCloseable gone = this.database.unreachable()) {
			await().atMost(Duration.ofMinutes(2)).until(() -> this.refused.size() >= refusedBefore + 20);
			assertThat(api.get("/actuator/health/readiness").status()).isEqualTo(503);
			for (String windowRead : new String[] { "/stats/routing?days=1",
					"/recommendations?caste=builder&days=1" }) {
				TestApi.Response read = api.get(windowRead);
				assertThat(read.status()).as(windowRead + " " + read.body()).isEqualTo(503);
				assertThat(read.header("Retry-After")).isNotBlank();
				assertThat(read.json().get("type").asString())
					.isEqualTo("urn:spawn-telemetry:problem:storage-unavailable");
			}
			assertThat(api.get("/stats").status()).as("reads from memory go on").isEqualTo(200);
		}
		int acknowledgedAtRecovery = this.acknowledged.size();
		await().atMost(Duration.ofMinutes(2)).until(() -> this.acknowledged.size() >= acknowledgedAtRecovery + 200);
		await().atMost(Duration.ofMinutes(1)).until(() -> api.get("/actuator/health/readiness").status() == 200);
		running.set(false);
		for (Future<?> client : work) {
			client.get();
		}
		clients.shutdown();

		System.out.printf("database outage: %d acknowledged, %d refused, %d unknown; slowest 503 %d ms%n",
				this.acknowledged.size(), this.refused.size(), this.unknown.size(), this.slowestRefusalMillis.get());
		assertThat(this.unexpected).isEmpty();
		// the stated bound, 2 x connection-timeout, with a second to spare for a slow
		// machine
		assertThat(this.slowestRefusalMillis.get()).isLessThan(2 * 1000 + 1000);
		Set<String> stored = storedSpawnIds();
		assertThat(stored).containsAll(this.acknowledged);
		assertThat(stored).doesNotContainAnyElementsOf(this.refused);
		Set<String> unexplained = new HashSet<>(stored);
		unexplained.removeAll(this.acknowledged);
		unexplained.removeAll(this.unknown);
		assertThat(unexplained).as("stored but neither acknowledged nor of unknown outcome").isEmpty();
		assertThat(aggregatedSpawns()).as("aggregates count exactly the stored spawns").isEqualTo(stored.size());
		await().atMost(Duration.ofMinutes(1))
			.until(() -> api.get("/stats").json().get("total_spawns").asLong() == stored.size());
	}

	private void write(TestApi api, String id) {
		long started = System.nanoTime();
		TestApi.Response response = api.post("/spawns",
				Json.object("spawn_id", id, "caste", "builder", "model", "glm-5", "task", "outage"));
		long millis = (System.nanoTime() - started) / 1_000_000;
		if (response.status() == 201) {
			this.acknowledged.add(id);
		}
		else if (response.status() == 503 && response.header("Retry-After") != null
				&& response.contentType().startsWith("application/problem+json")) {
			(response.body().contains("is not known") ? this.unknown : this.refused).add(id);
			this.slowestRefusalMillis.accumulateAndGet(millis, Math::max);
		}
		else {
			this.unexpected.add(id + ": " + response.status() + " " + response.body());
		}
	}

	private Set<String> storedSpawnIds() throws Exception {
		return this.database.strings("SELECT spawn_id FROM spawns");
	}

	private long aggregatedSpawns() throws Exception {
		try (Connection connection = this.database.connect();
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("SELECT (SELECT sum(total_spawns) FROM model_stats), "
						+ "(SELECT sum(spawns) FROM caste_stats)")) {
			rows.next();
			assertThat(rows.getLong(1)).isEqualTo(rows.getLong(2));
			return rows.getLong(1);
		}
	}

}
