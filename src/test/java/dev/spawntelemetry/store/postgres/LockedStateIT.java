package dev.spawntelemetry.store.postgres;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.spawntelemetry.ServiceTest;
import dev.spawntelemetry.TestApi;
import dev.spawntelemetry.TestPostgres;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An outside session holds the state row, as a migration, a {@code VACUUM FULL} or an
 * operator's transaction would, for longer than every bound of the service (and longer
 * than the web layer's own limit). Every write is answered by the database's verdict: 2xx
 * and stored, or 503 with Retry-After and a detail, and never stored.
 */
@ServiceTest(properties = { "telemetry.storage.type=postgres", "telemetry.storage.lock-timeout=1s",
		"telemetry.storage.statement-timeout=2s", "spring.mvc.async.request-timeout=3s" })
class LockedStateIT {

	@Autowired
	TestApi api;

	@Autowired
	TestPostgres.Database database;

	@Test
	void writesWhileTheStateIsLockedElsewhereAreCommittedOrRefusedNeverBoth() throws Exception {
		WritingClients clients = WritingClients.start(this.api, 4, "locked");
		await().atMost(Duration.ofMinutes(2)).until(() -> clients.acknowledged.size() >= 50);

		long lockedAt = System.nanoTime();
		try (Connection outside = this.database.connect(); Statement statement = outside.createStatement()) {
			outside.setAutoCommit(false);
			statement.execute("SELECT * FROM telemetry_state WHERE id = 1 FOR UPDATE");
			int refusedBefore = clients.refused.size();
			// held past the web layer's limit (3 s) and until many writes met the lock
			await().atMost(Duration.ofMinutes(2))
				.until(() -> clients.refused.size() >= refusedBefore + 20
						&& System.nanoTime() - lockedAt > Duration.ofSeconds(8).toNanos());
			assertThat(this.api.get("/stats").status()).as("reads from memory go on").isEqualTo(200);
			outside.rollback();
		}
		int acknowledgedAtRelease = clients.acknowledged.size();
		await().atMost(Duration.ofMinutes(2)).until(() -> clients.acknowledged.size() >= acknowledgedAtRelease + 50);
		clients.close();

		System.out.printf("state locked elsewhere: %d acknowledged, %d refused, slowest refusal %d ms%n",
				clients.acknowledged.size(), clients.refused.size(), clients.slowestRefusalMillis.get());
		assertThat(clients.unexpected).isEmpty();
		assertThat(clients.unknown).as("a lock makes no commit of unknown outcome").isEmpty();
		assertThat(clients.refusalDetails).allMatch((detail) -> detail.contains("not applied"));
		Set<String> stored = storedSpawnIds();
		assertThat(stored).containsAll(clients.acknowledged);
		assertThat(stored).as("refused and stored").doesNotContainAnyElementsOf(clients.refused);
		assertThat(stored).hasSameSizeAs(clients.acknowledged);
		// lock-timeout (1 s) per attempt, and writes queued through it refused with it
		assertThat(clients.slowestRefusalMillis.get()).isLessThan(Duration.ofSeconds(10).toMillis());
	}

	private Set<String> storedSpawnIds() throws Exception {
		return this.database.strings("SELECT spawn_id FROM spawns");
	}

}
