package dev.spawntelemetry.store.file;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import dev.spawntelemetry.store.TelemetryWriter;
import dev.spawntelemetry.ServiceTest;
import dev.spawntelemetry.TestApi;
import dev.spawntelemetry.TestApi.Response;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A disk that stalls: the writer's queue fills, new writes are refused at once, and
 * writes that wait too long are answered 503 and never applied.
 */
@Import(GatedStore.Installed.class)
@ServiceTest(properties = { "telemetry.writer.queue-capacity=4", "telemetry.writer.timeout=3s" })
class BackPressureIT {

	@Autowired
	TestApi api;

	@Autowired
	GatedStore store;

	@Autowired
	TelemetryWriter writer;

	@Autowired
	MeterRegistry meters;

	@Test
	void refusesWhenFullAndNeverAppliesWritesThatTimedOut() throws Exception {
		CompletableFuture<Response> taken = this.store.stallWith(this.api, spawn("taken"));
		List<CompletableFuture<Response>> queued = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			queued.add(api.postAsync("/spawns", spawn("queued-" + i)));
		}
		await("four writes queued behind the stalled one").atMost(Duration.ofMinutes(1))
			.pollInterval(Duration.ofMillis(5))
			.until(this::queueDepth, (depth) -> depth == 4);

		Response refused = api.post("/spawns", spawn("refused"));

		assertThat(refused.status()).isEqualTo(503);
		assertThat(refused.header("Retry-After")).isNotBlank();
		assertThat(refused.json().get("type").asString()).isEqualTo("urn:spawn-telemetry:problem:overloaded");
		assertThat(refused.json().get("detail").asString()).contains("overloaded");
		Response refusedExport = api.postBytes("/v1/traces", agentSpanExport(),
				java.util.Map.of("Content-Type", "application/json"));
		assertThat(refusedExport.status()).isEqualTo(503);
		assertThat(refusedExport.header("Retry-After")).isNotBlank();
		assertThat(refusedExport.json().get("code").asInt()).as("google.rpc.Code.UNAVAILABLE").isEqualTo(14);
		for (CompletableFuture<Response> write : queued) {
			Response expired = write.get(30, TimeUnit.SECONDS);
			assertThat(expired.status()).isEqualTo(503);
			assertThat(expired.header("Retry-After")).isNotBlank();
			assertThat(expired.json().get("detail").asString()).contains("not applied");
		}
		assertThat(taken).isNotDone();

		this.store.resume();

		assertThat(taken.get(30, TimeUnit.SECONDS).status()).isEqualTo(201);
		assertThat(api.get("/stats").json().get("total_spawns").asLong()).isEqualTo(1);
		for (int i = 0; i < 4; i++) {
			assertThat(api.get("/spawns/queued-" + i).status()).isEqualTo(404);
		}
		assertThat(api.get("/spawns/refused").status()).isEqualTo(404);
		assertThat(api.get("/spawns/otel-" + TRACE_ID + "-" + SPAN_ID).status()).isEqualTo(404);
		assertThat(api.post("/spawns", spawn("later")).status()).isEqualTo(201);
	}

	private static final String TRACE_ID = "5b8efff798038103d269b633813fc60c";

	private static final String SPAN_ID = "eee19b7ec3c1b174";

	/** An OTLP export of one agent span, in JSON. */
	private static byte[] agentSpanExport() {
		long start = System.currentTimeMillis() * 1_000_000L;
		return ("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"" + TRACE_ID + "\",\"spanId\":\""
				+ SPAN_ID + "\",\"name\":\"invoke_agent builder\",\"startTimeUnixNano\":\"" + start
				+ "\",\"endTimeUnixNano\":\"" + start + "\",\"attributes\":[{\"key\":\"gen_ai.operation.name\","
				+ "\"value\":{\"stringValue\":\"invoke_agent\"}}]}]}]}]}")
			.getBytes(java.nio.charset.StandardCharsets.UTF_8);
	}

	private static String spawn(String id) {
		return "{\"caste\":\"builder\",\"model\":\"kimi-k2.5\",\"spawn_id\":\"" + id + "\"}";
	}

	/** Writes waiting for the writer, as its gauge shows them. */
	private int queueDepth() {
		return (int) this.meters.get("spawn.telemetry.writer.queue.depth").gauge().value();
	}

}
