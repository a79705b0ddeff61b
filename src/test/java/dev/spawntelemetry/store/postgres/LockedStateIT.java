package dev.spawntelemetry.store.postgres;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
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

	private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();

	private final Set<String> refused = ConcurrentHashMap.newKeySet();

	private final Set<String> unexpected = ConcurrentHashMap.newKeySet();

	private final AtomicLong slowestRefusalMillis = new AtomicLong();

	@Test
	void writesWhileTheStateIsLockedElsewhereAreCommittedOrRefusedNeverBoth() throws Exception {
		AtomicBoolean running = new AtomicBoolean(true);
		ExecutorService clients = Executors.newFixedThreadPool(4);
		List<Future<?>> work = new ArrayList<>();
		for (int client = 0; client < 4; client++) {
			int id = client;
			work.add(clients.submit(() -> {
				for (int n = 0; running.get(); n++) {
					write(api, "c" + id + "-" + n);
				}
			}));
		}
		await().atMost(Duration.ofMinutes(2)).until(() -> this.acknowledged.size() >= 50);

		long lockedAt = System.nanoTime();
		try (Connection outside = this.database.connect(); Statement statement = outside.createStatement()) {
			outside.setAutoCommit(false);
			statement.execute("SELECT * FROM telemetry_state WHERE id = 1 FOR UPDATE");
			int refusedBefore = this.refused.size();
			// held past the web layer's limit (3 s) and until many writes met the lock
			await().atMost(Duration.ofMinutes(2))
				.until(() -> this.refused.size() >= refusedBefore + 20
						&& System.nanoTime() - lockedAt > Duration.ofSeconds(8).toNanos());
			assertThat(api.get("/stats").status()).as("reads from memory go on").isEqualTo(200);
			outside.rollback();
		}
		int acknowledgedAtRelease = this.acknowledged.size();
		await().atMost(Duration.ofMinutes(2)).until(() -> this.acknowledged.size() >= acknowledgedAtRelease + 50);
		running.set(false);
		for (Future<?> client : work) {
			client.get();
		}
		clients.shutdown();

		System.out.printf("state locked elsewhere: %d acknowledged, %d refused, slowest refusal %d ms%n",
				this.acknowledged.size(), this.refused.size(), this.slowestRefusalMillis.get());
		assertThat(this.unexpected).isEmpty();
		Set<String> stored = storedSpawnIds();
		assertThat(stored).containsAll(this.acknowledged);
		assertThat(stored).as("refused and stored").doesNotContainAnyElementsOf(this.refused);
		assertThat(stored).hasSameSizeAs(this.acknowledged);
		// lock-timeout (1 s) per attempt, and writes queued through it refused with it
		assertThat(this.slowestRefusalMillis.get()).isLessThan(Duration.ofSeconds(10).toMillis());
	}

	private void write(TestApi api, String id) {
		long started = System.nanoTime();
		TestApi.Response response = api.post("/spawns",
				Json.object("spawn_id", id, "caste", "builder", "model", "glm-5", "task", "locked"));
		long millis = (System.nanoTime() - started) / 1_000_000;
		if (response.status() == 201) {
			this.acknowledged.add(id);
		}
		else if (response.status() == 503 && response.header("Retry-After") != null
				&& response.json().get("detail").asString().contains("not applied")) {
			this.refused.add(id);
			this.slowestRefusalMillis.accumulateAndGet(millis, Math::max);
		}
		else {
			this.unexpected.add(id + ": " + response.status() + " " + response.body());
		}
	}

	private Set<String> storedSpawnIds() throws Exception {
		return this.database.strings("SELECT spawn_id FROM spawns");
	}

}
