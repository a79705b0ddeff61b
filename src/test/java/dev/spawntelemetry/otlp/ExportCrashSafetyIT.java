package dev.spawntelemetry.otlp;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import dev.spawntelemetry.ServiceProcess;
import dev.spawntelemetry.TestApi;
import dev.spawntelemetry.TestApi.Response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged service, killed while 8 exporters send it exports of agent spans and retry
 * those not acknowledged, as OTLP exporters do: every acknowledged export is stored, each
 * export is stored whole or not at all (every spawn with its outcome and its tokens), and
 * a retried one counts once.
 */
class ExportCrashSafetyIT {

	static final int EXPORTERS = 8;

	static final int SPANS_PER_EXPORT = 5;

	static final int TOKENS_PER_SPAN = 7;

	static final int ROUNDS = 4;

	/** Each round kills the service only after it acknowledged this many exports. */
	static final int MIN_ACKNOWLEDGED_PER_ROUND = 40;

	@TempDir
	Path dataDirectory;

	/** Every export sent, by its trace id, and whether it was acknowledged. */
	final Map<String, Boolean> exports = new ConcurrentHashMap<>();

	/** Exports whose answer was lost to a kill, to be sent again by their exporter. */
	final Set<String> toRetry = ConcurrentHashMap.newKeySet();

	final Set<String> unexpected = ConcurrentHashMap.newKeySet();

	@ParameterizedTest
	@CsvSource({ "8KB, 100000", "8KB, 5" })
	void storesEveryAcknowledgedExportWholeAndEachRetryOnceThroughRepeatedSigkills(String checkpointAfter,
			int maxDecisions) throws Exception {
		for (int round = 0; round < ROUNDS; round++) {
			try (ServiceProcess service = ServiceProcess.start(this.dataDirectory,
					"--telemetry.storage.max-decisions=" + maxDecisions,
					"--telemetry.storage.checkpoint-after=" + checkpointAfter)) {
				Exporters exporters = new Exporters(service.api(), round);
				await().atMost(Duration.ofMinutes(3))
					.until(() -> exporters.acknowledged.get() >= MIN_ACKNOWLEDGED_PER_ROUND);
				service.kill();
				exporters.stop();
			}
		}
		try (ServiceProcess service = ServiceProcess.start(this.dataDirectory,
				"--telemetry.storage.max-decisions=" + maxDecisions)) {
			TestApi api = service.api();
			if (maxDecisions >= 100000) {
				this.exports.forEach((traceId, wasAcknowledged) -> {
					int found = 0;
					for (int span = 1; span <= SPANS_PER_EXPORT; span++) {
						found += (api.get("/spawns/" + spawnId(traceId, span)).status() == 200) ? 1 : 0;
					}
					assertThat(found).as("export " + traceId + " whole or not at all").isIn(0, SPANS_PER_EXPORT);
					if (wasAcknowledged) {
						assertThat(found).as("acknowledged export " + traceId).isEqualTo(SPANS_PER_EXPORT);
					}
				});
			}
			long acknowledgedBeforeRetries = this.exports.values().stream().filter(Boolean::booleanValue).count();
			for (String traceId : List.copyOf(this.toRetry)) {
				assertThat(api.postBytes("/v1/traces", export(traceId), Map.of("Content-Type", "application/json"))
					.status()).isEqualTo(200);
				this.exports.put(traceId, true);
			}
			JsonNode stats = api.get("/stats").json();
			long spawns = stats.get("total_spawns").asLong();
			long ended = 0;
			long tokens = 0;
			for (JsonNode model : stats.get("models")) {
				ended += model.get("successful_completions").asLong() + model.get("failed_completions").asLong()
						+ model.get("blocked").asLong();
				tokens += model.get("tokens").asLong();
			}
			long acknowledged = this.exports.values().stream().filter(Boolean::booleanValue).count();
			System.out.printf(
					"%s, log %d: %d exports sent, %d acknowledged before the kills ended, %d retried "
							+ "after them, %d spawns stored%n",
					checkpointAfter, maxDecisions, this.exports.size(), acknowledgedBeforeRetries,
					acknowledged - acknowledgedBeforeRetries, spawns);
			assertThat(this.unexpected).as("answers that are not the truth").isEmpty();
			assertThat(spawns % SPANS_PER_EXPORT).as("exports stored whole").isZero();
			assertThat(spawns).as("every acknowledged export, each once")
				.isBetween(acknowledged * SPANS_PER_EXPORT, (long) this.exports.size() * SPANS_PER_EXPORT);
			assertThat(ended).as("every spawn stored with its outcome").isEqualTo(spawns);
			assertThat(tokens).as("and its tokens, once").isEqualTo(spawns * TOKENS_PER_SPAN);
		}
	}

	/**
	 * When every span of the test started: an exporter sends a retry as it sent the
	 * original.
	 */
	static final long START = Instant.now().minusSeconds(60).toEpochMilli() * 1_000_000L;

	/**
	 * An export of agent spans of one trace, each with its outcome and tokens, in JSON.
	 */
	static byte[] export(String traceId) {
		long start = START;
		StringBuilder spans = new StringBuilder();
		for (int span = 1; span <= SPANS_PER_EXPORT; span++) {
			spans.append((span > 1) ? "," : "")
				.append("{\"traceId\":\"")
				.append(traceId)
				.append("\",\"spanId\":\"")
				.append(spanHex(span))
				.append("\",\"name\":\"invoke_agent\",\"startTimeUnixNano\":\"")
				.append(start)
				.append("\",\"endTimeUnixNano\":\"")
				.append(start + 1_000_000_000L)
				.append("\",\"status\":{\"code\":")
				.append((span % 2 == 0) ? 2 : 1)
				.append("},\"attributes\":[{\"key\":\"gen_ai.operation.name\",\"value\":{\"stringValue\":")
				.append("\"invoke_agent\"}},{\"key\":\"gen_ai.agent.name\",\"value\":{\"stringValue\":\"c")
				.append(span % 3)
				.append("\"}},{\"key\":\"gen_ai.request.model\",\"value\":{\"stringValue\":\"m")
				.append(span % 4)
				.append("\"}},{\"key\":\"gen_ai.usage.input_tokens\",\"value\":{\"intValue\":\"")
				.append(TOKENS_PER_SPAN)
				.append("\"}}]}");
		}
		return ("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[" + spans + "]}]}]}")
			.getBytes(StandardCharsets.UTF_8);
	}

	static String spawnId(String traceId, int span) {
		return "otel-" + traceId + "-" + spanHex(span);
	}

	private static String spanHex(int span) {
		return "%016x".formatted(span);
	}

	/** Exporters that send new exports and retry those whose answer they did not get. */
	private final class Exporters {

		private final ExecutorService threads = Executors.newFixedThreadPool(EXPORTERS);

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final AtomicLong acknowledged = new AtomicLong();

		Exporters(TestApi api, int round) {
			for (int e = 0; e < EXPORTERS; e++) {
				int exporter = e;
				this.threads.submit(() -> {
					for (int n = 0; this.running.get(); n++) {
						String traceId = "%08x%08x%016x".formatted(round + 1, exporter, n);
						String retried = pollRetry();
						if (retried != null) {
							traceId = retried;
						}
						ExportCrashSafetyIT.this.exports.putIfAbsent(traceId, false);
						try {
							Response answer = api.postBytes("/v1/traces", export(traceId),
									Map.of("Content-Type", "application/json"));
							if (answer.status() == 200 && answer.body().equals("{}")) {
								ExportCrashSafetyIT.this.exports.put(traceId, true);
								ExportCrashSafetyIT.this.toRetry.remove(traceId);
								this.acknowledged.incrementAndGet();
							}
							else if (answer.status() != 503) {
								ExportCrashSafetyIT.this.unexpected
									.add(traceId + ": " + answer.status() + " " + answer.body());
							}
							else {
								ExportCrashSafetyIT.this.toRetry.add(traceId);
							}
						}
						catch (RuntimeException ex) {
							// the service was killed while this export was on its way:
							// retried later
							ExportCrashSafetyIT.this.toRetry.add(traceId);
						}
					}
				});
			}
		}

		private String pollRetry() {
			for (String traceId : ExportCrashSafetyIT.this.toRetry) {
				if (ExportCrashSafetyIT.this.toRetry.remove(traceId)) {
					return traceId;
				}
			}
			return null;
		}

		void stop() throws InterruptedException {
			this.running.set(false);
			this.threads.shutdown();
			assertThat(this.threads.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
		}

	}

}
