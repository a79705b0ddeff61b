package dev.spawntelemetry.store.postgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

import tools.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.spawntelemetry.Json;
import dev.spawntelemetry.ServiceProcess;
import dev.spawntelemetry.TestApi;
import dev.spawntelemetry.TestPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three replicas of the packaged service, each in a JVM of its own, on one PostgreSQL
 * database, under 24 clients spreading their writes round-robin over them; one replica is
 * killed with SIGKILL mid-load and started again. A client retries a write whose answer
 * it did not get, as the Node.js client does, on the next replica, until it gets one.
 */
class ReplicasIT {

	private static final List<String> CASTES = List.of("builder", "scout", "watcher", "oracle");

	private static final List<String> MODELS = List.of("kimi-k2.5", "glm-5", "openrouter/anthropic/claude-sonnet-4.5");

	private static final List<String> OUTCOMES = List.of("completed", "failed", "blocked");

	@TempDir
	Path directory;

	private final TestPostgres.Database database = TestPostgres.createDatabase();

	private final List<ServiceProcess> processes = new ArrayList<>();

	private final AtomicReferenceArray<TestApi> replicas = new AtomicReferenceArray<>(3);

	/** Acknowledged spawns: id → caste and model. */
	private final Map<String, String[]> spawns = new ConcurrentHashMap<>();

	/** The outcome acknowledged first for a spawn. */
	private final Map<String, String> outcomes = new ConcurrentHashMap<>();

	/** Tokens acknowledged per spawn, by outcomes and usage reports. */
	private final Map<String, AtomicLong> tokens = new ConcurrentHashMap<>();

	private final AtomicInteger conflictsRefused = new AtomicInteger();

	private final AtomicInteger retries = new AtomicInteger();

	private final AtomicInteger unexpected = new AtomicInteger();

	private final AtomicInteger turn = new AtomicInteger();

	@AfterEach
	void stop() throws Exception {
		for (ServiceProcess process : this.processes) {
			process.close();
		}
		this.database.close();
	}

	@Test
	void storesEveryAcknowledgedWriteExactlyOnceAndEveryReplicaServesTheSameState() throws Exception {
		List<ServiceProcess> started = startReplicas(0, 1, 2);
		AtomicBoolean running = new AtomicBoolean(true);
		ExecutorService clients = Executors.newFixedThreadPool(24);
		List<Future<?>> work = new ArrayList<>();
		for (int client = 0; client < 24; client++) {
			int id = client;
			work.add(clients.submit(() -> client(id, running)));
		}
		long startedAt = System.nanoTime();

		int atKill;
		int atRestart;
		try {
			awaitAcknowledged(300);
			started.get(1).kill();
			atKill = this.spawns.size();
			awaitAcknowledged(atKill + 300);
			startReplicas(1);
			atRestart = this.spawns.size();
			awaitAcknowledged(atRestart + 300);
			await().atMost(Duration.ofMinutes(3))
				.until(() -> System.nanoTime() - startedAt > Duration.ofSeconds(10).toNanos());
			running.set(false);
			for (Future<?> client : work) {
				client.get();
			}
		}
		finally {
			running.set(false);
			clients.shutdownNow();
		}

		System.out.printf(
				"replicas: %d spawns, %d outcomes, %d conflicting outcomes refused, %d retries; "
						+ "killed at %d, restarted at %d%n",
				this.spawns.size(), this.outcomes.size(), this.conflictsRefused.get(), this.retries.get(), atKill,
				atRestart);
		assertThat(this.unexpected).as("answers other than those expected").hasValue(0);
		assertThat(this.conflictsRefused).hasPositiveValue();
		assertThat(this.retries).as("writes retried after the kill").hasPositiveValue();
		assertThatTheDatabaseHoldsExactlyWhatWasAcknowledged();
		assertThatEveryReplicaServesTheSameStatsAndETag();
	}

	private void client(int client, AtomicBoolean running) {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		List<String> mine = new ArrayList<>();
		for (int n = 0; running.get(); n++) {
			String id = "c" + client + "-" + n;
			String caste = CASTES.get(random.nextInt(CASTES.size()));
			String model = MODELS.get(random.nextInt(MODELS.size()));
			String spawn = Json.object("spawn_id", id, "caste", caste, "model", model, "task", "replica test");
			if (definite(() -> next().post("/spawns", spawn), 200, 201)) {
				this.spawns.put(id, new String[] { caste, model });
				mine.add(id);
			}
			if (mine.size() > 2 && random.nextInt(3) == 0) {
				String target = mine.remove(random.nextInt(mine.size()));
				String outcome = OUTCOMES.get(random.nextInt(OUTCOMES.size()));
				long used = random.nextLong(1, 1000);
				String body = Json.object("outcome", outcome, "tokens", used);
				if (definite(() -> next().put("/spawns/" + target + "/outcome", body), 200)) {
					this.outcomes.put(target, outcome);
					this.tokens.computeIfAbsent(target, (key) -> new AtomicLong()).addAndGet(used);
					String other = OUTCOMES.get((OUTCOMES.indexOf(outcome) + 1) % OUTCOMES.size());
					if (random.nextBoolean()) {
						definite(() -> next().put("/spawns/" + target + "/outcome", Json.object("outcome", other)),
								409);
						this.conflictsRefused.incrementAndGet();
					}
				}
			}
			if (!mine.isEmpty() && random.nextInt(2) == 0) {
				String target = mine.get(random.nextInt(mine.size()));
				long used = random.nextLong(1, 100);
				String key = id + "-usage";
				if (definite(() -> next().send("POST", "/spawns/" + target + "/usage", Json.object("tokens", used),
						Map.of("Content-Type", "application/json", "Idempotency-Key", key)), 200)) {
					this.tokens.computeIfAbsent(target, (k) -> new AtomicLong()).addAndGet(used);
				}
			}
		}
	}

	/**
	 * Sends a write until it gets an answer that is not a lost connection or a 503, and
	 * says whether that answer is the one expected; counts any other.
	 */
	private boolean definite(Supplier<TestApi.Response> write, int... expected) {
		long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
		while (true) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("No replica took a write for 3 minutes");
			}
			try {
				TestApi.Response response = write.get();
				if (response.status() == 503 || response.status() == 502) {
					this.retries.incrementAndGet();
					continue;
				}
				for (int status : expected) {
					if (response.status() == status) {
						return true;
					}
				}
				System.err.println("unexpected answer " + response.status() + ": " + response.body());
				this.unexpected.incrementAndGet();
				return false;
			}
			catch (RuntimeException ex) {
				// the replica was killed, or is not back yet: the next one
				this.retries.incrementAndGet();
			}
		}
	}

	private TestApi next() {
		return this.replicas.get(Math.floorMod(this.turn.getAndIncrement(), 3));
	}

	private List<ServiceProcess> startReplicas(int... indexes) throws Exception {
		List<ServiceProcess> started = new ArrayList<>();
		for (int index : indexes) {
			Path data = Files.createDirectories(this.directory.resolve("replica-" + index));
			started.add(ServiceProcess.launch(data, "--telemetry.storage.type=postgres",
					"--spring.datasource.url=" + this.database.url()));
		}
		for (int i = 0; i < indexes.length; i++) {
			started.get(i).awaitHealthy(Duration.ofMinutes(3));
			this.processes.add(started.get(i));
			this.replicas.set(indexes[i], started.get(i).api());
		}
		return started;
	}

	private void awaitAcknowledged(int spawns) {
		await().atMost(Duration.ofMinutes(3)).until(() -> this.spawns.size() >= spawns);
	}

	private void assertThatTheDatabaseHoldsExactlyWhatWasAcknowledged() throws Exception {
		Map<String, String[]> stored = new HashMap<>();
		Map<String, String> storedOutcomes = new HashMap<>();
		Map<String, Long> storedTokens = new HashMap<>();
		try (Connection connection = this.database.connect();
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("SELECT spawn_id, caste, model, outcome, tokens FROM spawns")) {
			while (rows.next()) {
				String id = rows.getString(1);
				stored.put(id, new String[] { rows.getString(2), rows.getString(3) });
				if (rows.getString(4) != null) {
					storedOutcomes.put(id, rows.getString(4));
				}
				if (rows.getLong(5) != 0) {
					storedTokens.put(id, rows.getLong(5));
				}
			}
		}
		assertThat(stored.keySet()).isEqualTo(this.spawns.keySet());
		this.spawns.forEach((id, casteAndModel) -> assertThat(stored.get(id)).containsExactly(casteAndModel));
		assertThat(storedOutcomes).isEqualTo(this.outcomes);
		Map<String, Long> acknowledgedTokens = new HashMap<>();
		this.tokens.forEach((id, sum) -> acknowledgedTokens.put(id, sum.get()));
		assertThat(storedTokens).isEqualTo(acknowledgedTokens);
	}

	private void assertThatEveryReplicaServesTheSameStatsAndETag() {
		await().atMost(Duration.ofMinutes(1)).until(() -> {
			List<TestApi.Response> answers = List.of(this.replicas.get(0).get("/stats"),
					this.replicas.get(1).get("/stats"), this.replicas.get(2).get("/stats"));
			return answers.stream().map((answer) -> answer.header("ETag")).distinct().count() == 1
					&& answers.stream().map(TestApi.Response::body).distinct().count() == 1;
		});
		JsonNode stats = this.replicas.get(0).get("/stats").json();
		assertThat(stats.get("total_spawns").asLong()).isEqualTo(this.spawns.size());
		Map<String, Long> expected = new HashMap<>();
		this.spawns.values()
			.forEach((casteAndModel) -> expected.merge(casteAndModel[1] + "|" + casteAndModel[0], 1L, Long::sum));
		Map<String, Long> completed = new HashMap<>();
		this.outcomes.forEach((id, outcome) -> {
			if (outcome.equals("completed")) {
				String[] casteAndModel = this.spawns.get(id);
				completed.merge(casteAndModel[1] + "|" + casteAndModel[0], 1L, Long::sum);
			}
		});
		Map<String, Long> served = new HashMap<>();
		Map<String, Long> servedCompleted = new HashMap<>();
		stats.get("models")
			.properties()
			.forEach((model) -> model.getValue().get("by_caste").properties().forEach((caste) -> {
				served.put(model.getKey() + "|" + caste.getKey(), caste.getValue().get("spawns").asLong());
				long success = caste.getValue().get("success").asLong();
				if (success > 0) {
					servedCompleted.put(model.getKey() + "|" + caste.getKey(), success);
				}
			}));
		assertThat(served).isEqualTo(expected);
		assertThat(servedCompleted).isEqualTo(completed);
	}

}
