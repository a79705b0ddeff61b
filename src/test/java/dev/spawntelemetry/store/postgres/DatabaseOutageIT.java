package dev.spawntelemetry.store.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

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

	@Test
	void refusesWritesWithRetryAfterWhileTheDatabaseIsGoneAndRecoversWithoutARestart() throws Exception {
		WritingClients clients = WritingClients.start(this.api, 8, "outage");

		await().atMost(Duration.ofMinutes(2)).until(() -> clients.acknowledged.size() >= 200);
		int refusedBefore = clients.refused.size();
		try (AutoCloseable gone = this.database.unreachable()) {
			await().atMost(Duration.ofMinutes(2)).until(() -> clients.refused.size() >= refusedBefore + 20);
			assertThat(this.api.get("/actuator/health/readiness").status()).isEqualTo(503);
			for (String windowRead : new String[] { "/stats/routing?days=1",
					"/recommendations?caste=builder&days=1" }) {
				TestApi.Response read = this.api.get(windowRead);
				assertThat(read.status()).as(windowRead + " " + read.body()).isEqualTo(503);
				assertThat(read.header("Retry-After")).isNotBlank();
				assertThat(read.json().get("type").asString())
					.isEqualTo("urn:spawn-telemetry:problem:storage-unavailable");
			}
			assertThat(this.api.get("/stats").status()).as("reads from memory go on").isEqualTo(200);
		}
		int acknowledgedAtRecovery = clients.acknowledged.size();
		await().atMost(Duration.ofMinutes(2)).until(() -> clients.acknowledged.size() >= acknowledgedAtRecovery + 200);
		await().atMost(Duration.ofMinutes(1)).until(() -> this.api.get("/actuator/health/readiness").status() == 200);
		clients.close();

		System.out.printf("database outage: %d acknowledged, %d refused, %d unknown; slowest 503 %d ms%n",
				clients.acknowledged.size(), clients.refused.size(), clients.unknown.size(),
				clients.slowestRefusalMillis.get());
		assertThat(clients.unexpected).isEmpty();
		// the stated bound, 2 x connection-timeout, with a second to spare for a slow
		// machine
		assertThat(clients.slowestRefusalMillis.get()).isLessThan(2 * 1000 + 1000);
		Set<String> stored = storedSpawnIds();
		assertThat(stored).containsAll(clients.acknowledged);
		assertThat(stored).doesNotContainAnyElementsOf(clients.refused);
		Set<String> unexplained = new HashSet<>(stored);
		unexplained.removeAll(clients.acknowledged);
		unexplained.removeAll(clients.unknown);
		assertThat(unexplained).as("stored but neither acknowledged nor of unknown outcome").isEmpty();
		assertThat(aggregatedSpawns()).as("aggregates count exactly the stored spawns").isEqualTo(stored.size());
		await().atMost(Duration.ofMinutes(1))
			.until(() -> this.api.get("/stats").json().get("total_spawns").asLong() == stored.size());
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
