package dev.spawntelemetry.store.file;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.spawntelemetry.ServiceProcess;
import dev.spawntelemetry.TestApi;
import dev.spawntelemetry.TestApi.Response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged service, killed while 16 clients write to it, half of them letting it
 * route: every write it acknowledged is in the file when it comes back, every outcome in
 * the time buckets once (and a routed one in the propensity sums once), the file is
 * always whole, and every retry, outcome and usage report is answered as the truth (never
 * a 404, never a retry counted again), also when the log is so short that spawns rotate
 * out of it inside a batch.
 */
class CrashSafetyIT {

	static final int CLIENTS = 16;

	static final int ROUNDS = 5;

	/**
	 * Each round kills the service only after it acknowledged this many spawns, or more.
	 */
	static final int MIN_ACKNOWLEDGED_PER_ROUND = 150;

	/**
	 * How long a round may take to see its spawns acknowledged, even on a slow machine.
	 */
	static final Duration ROUND_DEADLINE = Duration.ofMinutes(3);

	static final String[] OUTCOMES = { "completed", "failed", "blocked" };

	/**
	 * Large enough that nothing rotates out, so every acknowledged spawn can be looked
	 * up.
	 */
	static final int KEEP_ALL = 100000;

	static final int TOKENS_PER_REPORT = 3;

	@TempDir
	Path dataDirectory;

	final Set<String> acknowledgedSpawns = ConcurrentHashMap.newKeySet();

	final Map<String, String> acknowledgedOutcomes = new ConcurrentHashMap<>();

	final AtomicLong sentSpawns = new AtomicLong();

	final AtomicLong sentOutcomes = new AtomicLong();

	/** The outcomes of spawns the service routed, which add to the propensity sums. */
	final Set<String> acknowledgedRoutedOutcomes = ConcurrentHashMap.newKeySet();

	final AtomicLong sentRoutedOutcomes = new AtomicLong();

	final Set<String> acknowledgedUsage = ConcurrentHashMap.newKeySet();

	final AtomicLong sentUsage = new AtomicLong();

	/**
	 * Answers other than the truth: a retry counted again, a 404, a 400 for a well-formed
	 * write, a 5xx other than "stopping, send it again".
	 */
	final Set<String> unexpected = ConcurrentHashMap.newKeySet();

	/**
	 * With the default checkpoint size the kills land while batches are appended to the
	 * journal; with a tiny one, a checkpoint replaces the file every few batches and
	 * kills land in the middle of those too. With a log of 5, the spawns of 16 clients
	 * rotate out of it inside batches, before their retries, outcomes and usage arrive.
	 */
	@ParameterizedTest
	@CsvSource({ "4MB, 100000", "8KB, 100000", "8KB, 5" })
	void keepsEveryAcknowledgedWriteThroughRepeatedSigkills(String checkpointAfter, int maxDecisions) throws Exception {
		long seed = System.nanoTime();
		Random random = new Random(seed);
		for (int round = 0; round < ROUNDS; round++) {
			try (ServiceProcess service = ServiceProcess.start(this.dataDirectory,
					"--telemetry.storage.max-decisions=" + maxDecisions,
					"--telemetry.storage.checkpoint-after=" + checkpointAfter)) {
				Load load = new Load(service.api(), "kill" + round);
				int killAfter = MIN_ACKNOWLEDGED_PER_ROUND + random.nextInt(MIN_ACKNOWLEDGED_PER_ROUND);
				load.awaitAcknowledged(killAfter);
				service.kill();
				load.stop();
				System.out.printf("kill round %d: killed after %d acknowledged spawns (asked for %d)%n", round,
						load.acknowledged(), killAfter);
			}
		}
		assertThat(this.acknowledgedSpawns).as("seed %d", seed)
			.hasSizeGreaterThanOrEqualTo(ROUNDS * MIN_ACKNOWLEDGED_PER_ROUND);
		assertThat(this.unexpected).as("answers that are not the truth").isEmpty();
		assertEverythingAcknowledgedIsStored("seed " + seed, maxDecisions);
	}

	@Test
	void keepsEveryAcknowledgedWriteThroughAGracefulStop() throws Exception {
		try (ServiceProcess service = ServiceProcess.start(this.dataDirectory,
				"--telemetry.storage.max-decisions=" + KEEP_ALL)) {
			Load load = new Load(service.api(), "term");
			load.awaitAcknowledged(MIN_ACKNOWLEDGED_PER_ROUND);
			service.process().destroy();
			assertThat(service.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
			load.stop();
			assertThat(service.output()).contains("Telemetry writer stopped");
		}
		assertThat(this.unexpected).as("answers that are not the truth").isEmpty();
		assertEverythingAcknowledgedIsStored("graceful stop", KEEP_ALL);
	}

	private void assertEverythingAcknowledgedIsStored(String run, int maxDecisions) throws Exception {
		try (ServiceProcess service = ServiceProcess.start(this.dataDirectory,
				"--telemetry.storage.max-decisions=" + maxDecisions)) {
			JsonNode stats = service.api().get("/stats").json();
			long total = stats.get("total_spawns").asLong();
			long ended = 0;
			long tokens = 0;
			for (JsonNode model : stats.get("models")) {
				ended += model.get("successful_completions").asLong() + model.get("failed_completions").asLong()
						+ model.get("blocked").asLong();
				tokens += model.get("tokens").asLong();
			}
			System.out.printf(
					"%s: %d spawns sent, %d acknowledged, %d outcomes acknowledged, %d usage reports acknowledged, "
							+ "%d spawns stored, %d outcomes, %d tokens%n",
					run, this.sentSpawns.get(), this.acknowledgedSpawns.size(), this.acknowledgedOutcomes.size(),
					this.acknowledgedUsage.size(), total, ended, tokens);
			assertThat(total).as(run).isBetween((long) this.acknowledgedSpawns.size(), this.sentSpawns.get());
			assertThat(ended).as(run + ": outcomes")
				.isBetween((long) this.acknowledgedOutcomes.size(), this.sentOutcomes.get());
			assertThat(tokens).as(run + ": usage, once per report")
				.isBetween((long) this.acknowledgedUsage.size() * TOKENS_PER_REPORT,
						this.sentUsage.get() * TOKENS_PER_REPORT);
			long routedEnded = 0;
			for (int caste = 0; caste < 3; caste++) {
				routedEnded += service.api()
					.get("/routes/c" + caste + "/evaluation?days=2")
					.json()
					.get("routed")
					.asLong();
			}
			assertThat(routedEnded).as(run + ": routed outcomes in the propensity sums, each once")
				.isBetween((long) this.acknowledgedRoutedOutcomes.size(), this.sentRoutedOutcomes.get());
			for (String bucket : new String[] { "hour", "day" }) {
				JsonNode trend = service.api().get("/stats/trends?bucket=" + bucket).json().get("total");
				assertThat(trend.get("spawns").asLong()).as(run + ": " + bucket + " buckets count every spawn once")
					.isEqualTo(total);
				assertThat(
						trend.get("completed").asLong() + trend.get("failed").asLong() + trend.get("blocked").asLong())
					.as(run + ": " + bucket + " buckets count every outcome once")
					.isEqualTo(ended);
			}
		}
		try (Stream<Path> files = Files.list(this.dataDirectory)) {
			assertThat(files.map((file) -> file.getFileName().toString()))
				.noneMatch((name) -> name.contains(".corrupt-") || name.endsWith(".tmp"));
		}
		if (maxDecisions < KEEP_ALL) {
			return; // the spawns that left the log are checked by the counts above
		}
		JsonNode file = TestApi.parse(Files.readString(this.dataDirectory.resolve("telemetry.json")));
		Map<String, JsonNode> stored = new HashMap<>();
		file.get("routing_decisions").forEach((decision) -> stored.put(decision.get("spawn_id").asString(), decision));
		assertThat(stored.keySet()).as(run).containsAll(this.acknowledgedSpawns);
		this.acknowledgedOutcomes
			.forEach((spawnId, outcome) -> assertThat(stored.get(spawnId).get("outcome").asString())
				.as(run + ": outcome of " + spawnId)
				.isEqualTo(outcome));
		long totalInAggregates = 0;
		long endedInAggregates = 0;
		for (JsonNode model : file.get("models")) {
			totalInAggregates += model.get("total_spawns").asLong();
			endedInAggregates += model.get("successful_completions").asLong() + model.get("failed_completions").asLong()
					+ model.get("blocked").asLong();
		}
		long endedInLog = stored.values().stream().filter((decision) -> !decision.get("outcome").isNull()).count();
		assertThat(totalInAggregates).as(run + ": aggregates agree with the log").isEqualTo(stored.size());
		assertThat(endedInAggregates).as(run + ": outcome counts agree with the log").isEqualTo(endedInLog);
	}

	/**
	 * 16 clients recording spawns and outcomes as fast as the service answers, and going
	 * on through connection errors until told to stop.
	 */
	private final class Load {

		private final ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final AtomicLong acknowledged = new AtomicLong();

		Load(TestApi api, String prefix) {
			for (int c = 0; c < CLIENTS; c++) {
				int client = c;
				this.clients.submit(() -> {
					for (int n = 0; this.running.get(); n++) {
						String spawnId = prefix + "-" + client + "-" + n;
						try {
							CrashSafetyIT.this.sentSpawns.incrementAndGet();
							// odd clients let the service choose: their outcomes add to
							// the
							// propensity sums
							boolean routed = client % 2 == 1;
							String spawnBody = "{\"caste\":\"c" + (n % 3) + "\","
									+ (routed ? "\"route\":{\"candidates\":[\"m0\",\"m1\",\"m2\",\"m3\"]}"
											: "\"model\":\"m" + (client % 4) + "\"")
									+ ",\"spawn_id\":\"" + spawnId + "\"}";
							if (!expect(201, "spawn " + spawnId, api.post("/spawns", spawnBody))) {
								continue;
							}
							CrashSafetyIT.this.acknowledgedSpawns.add(spawnId);
							this.acknowledged.incrementAndGet();
							expect(200, "retry of " + spawnId, api.post("/spawns", spawnBody));
							String outcome = OUTCOMES[n % 3];
							CrashSafetyIT.this.sentOutcomes.incrementAndGet();
							if (routed) {
								CrashSafetyIT.this.sentRoutedOutcomes.incrementAndGet();
							}
							if (expect(200, "outcome of " + spawnId,
									api.put("/spawns/" + spawnId + "/outcome", "{\"outcome\":\"" + outcome + "\"}"))) {
								CrashSafetyIT.this.acknowledgedOutcomes.put(spawnId, outcome);
								if (routed) {
									CrashSafetyIT.this.acknowledgedRoutedOutcomes.add(spawnId);
								}
							}
							CrashSafetyIT.this.sentUsage.incrementAndGet();
							for (int report = 0; report < 2; report++) {
								if (expect(200, "usage of " + spawnId,
										api.send("POST", "/spawns/" + spawnId + "/usage",
												"{\"tokens\":" + TOKENS_PER_REPORT + "}", Map.of("Content-Type",
														"application/json", "Idempotency-Key", "report-" + spawnId)))) {
									CrashSafetyIT.this.acknowledgedUsage.add(spawnId);
								}
							}
						}
						catch (RuntimeException ex) {
							// the service is gone or not answering: what it acknowledged
							// is what
							// counts, and the client carries on until the round ends
							pauseAfterFailure();
						}
					}
				});
			}
		}

		/**
		 * Whether the answer is the one expected; any other is recorded, except the
		 * refusal of a stopping service, which applied nothing and asks for the write
		 * again.
		 */
		private boolean expect(int status, String write, Response answer) {
			if (answer.status() == status) {
				return true;
			}
			if (answer.status() == 503 && answer.header("Retry-After") != null
					&& answer.body().contains("The service is stopping")) {
				return false;
			}
			CrashSafetyIT.this.unexpected.add(write + ": " + answer.status() + " " + answer.body());
			return false;
		}

		long acknowledged() {
			return this.acknowledged.get();
		}

		/** Waits until the service acknowledged this many spawns of this load. */
		void awaitAcknowledged(long count) {
			await("the service acknowledging " + count + " spawns in this round").atMost(ROUND_DEADLINE)
				.pollInterval(Duration.ofMillis(10))
				.until(this.acknowledged::get, (acknowledged) -> acknowledged >= count);
		}

		private void pauseAfterFailure() {
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		void stop() throws InterruptedException {
			this.running.set(false);
			this.clients.shutdown();
			assertThat(this.clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
		}

	}

}
