package dev.spawntelemetry.otlp;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import com.google.protobuf.ByteString;
import com.google.rpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.spawntelemetry.ServiceTest;
import dev.spawntelemetry.TestApi;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Agent spans exported by the OpenTelemetry Java SDK, over protobuf with gzip as its OTLP
 * exporter sends them, and over JSON as its own marshaler writes them, become spawns with
 * their outcome, tokens and tool calls; a retried export counts once.
 */
@ServiceTest(properties = { "telemetry.security.write-token=" + OpenTelemetryIngestionIT.TOKEN,
		"telemetry.otlp.tools[Bash]=bash", "telemetry.otlp.tools[read_file]=read",
		"telemetry.otlp.outcome-attribute=aether.outcome", "telemetry.otlp.max-body-size=64KB",
		"telemetry.otlp.max-decoded-size=256KB", "telemetry.otlp.max-agent-spans=50",
		"telemetry.otlp.max-concurrent-exports=1" })
class OpenTelemetryIngestionIT {

	static final String TOKEN = "otlp-test-token";

	private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");

	private static final AttributeKey<String> AGENT = AttributeKey.stringKey("gen_ai.agent.name");

	private static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");

	private static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");

	private static final AttributeKey<String> TOOL = AttributeKey.stringKey("gen_ai.tool.name");

	private static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");

	private static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");

	private static final HttpClient CLIENT = HttpClient.newHttpClient();

	@Autowired
	TestApi api;

	@LocalServerPort
	int port;

	/** Each test works on a model of its own. */
	final String model = "otel-model-" + UUID.randomUUID();

	final List<SpanData> finished = new ArrayList<>();

	final SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
		.setResource(Resource.getDefault())
		.addSpanProcessor(SimpleSpanProcessor.create(new Collecting(this.finished)))
		.build();

	final Tracer tracer = this.tracerProvider.get("spawn-telemetry-test");

	@AfterEach
	void closeTracer() {
		this.tracerProvider.close();
	}

	@Test
	void protobufExportWithGzipRecordsEachAgentSpanWithItsOutcomeTokensAndTools() {
		Instant start = Instant.now().minusSeconds(90);
		Span builder = agentSpan("builder", start);
		toolSpan(builder, "Bash", start);
		toolSpan(builder, "Bash", start);
		toolSpan(builder, "read_file", start);
		toolSpan(builder, "web_search", start);
		Span chat = this.tracer.spanBuilder("chat " + this.model)
			.setParent(Context.root().with(builder))
			.setStartTimestamp(start)
			.setAttribute(OPERATION, "chat")
			.setAttribute(REQUEST_MODEL, this.model)
			.startSpan();
		chat.end(start.plusSeconds(5));
		builder.setAttribute(INPUT_TOKENS, 1200L);
		builder.setAttribute(OUTPUT_TOKENS, 345L);
		builder.end(start.plusSeconds(60));
		Span watcher = agentSpan("Research Assistant", start);
		watcher.setStatus(StatusCode.ERROR, "the model refused");
		watcher.setAttribute(AttributeKey.stringKey("error.type"), "refusal");
		watcher.end(start.plusSeconds(30));

		assertThat(exportWithTheSdk(this.finished)).isTrue();

		JsonNode built = this.api.get("/spawns/" + spawnId(builder)).json();
		assertThat(built.get("caste").asString()).isEqualTo("builder");
		assertThat(built.get("selected_model").asString()).isEqualTo(this.model);
		assertThat(built.get("source").asString()).isEqualTo("otel");
		assertThat(built.get("task").asString()).isEqualTo("invoke_agent builder");
		assertThat(built.get("outcome").asString()).isEqualTo("completed");
		assertThat(Instant.parse(built.get("timestamp").asString())).isEqualTo(start.truncatedTo(MILLIS));
		assertThat(Instant.parse(built.get("completed_at").asString()))
			.isEqualTo(start.plusSeconds(60).truncatedTo(MILLIS));
		assertThat(built.get("tokens").asLong()).isEqualTo(1545);
		assertThat(built.get("tools").toString()).isEqualTo("{\"read\":1,\"grep\":0,\"edit\":0,\"bash\":2}");
		JsonNode failed = this.api.get("/spawns/" + spawnId(watcher)).json();
		assertThat(failed.get("caste").asString()).isEqualTo("Research-Assistant");
		assertThat(failed.get("outcome").asString()).isEqualTo("failed");
		assertThat(failed.get("outcome_reason").asString()).isEqualTo("refusal");
		assertThat(built.has("served_model")).as("served by the model chosen").isFalse();
		assertThat(built.has("outcome_reason")).isFalse();

		JsonNode stats = this.api.get("/stats/models/" + this.model).json();
		assertThat(stats.get("total_spawns").asLong()).isEqualTo(2);
		assertThat(stats.get("successful_completions").asLong()).isEqualTo(1);
		assertThat(stats.get("failed_completions").asLong()).isEqualTo(1);
		assertThat(stats.get("tokens").asLong()).isEqualTo(1545);
		assertThat(stats.get("tools").get("bash").asLong()).isEqualTo(2);
		assertThat(this.api.get("/actuator/prometheus").body())
			.contains("spawn_telemetry_spawns_total{caste=\"builder\",model=\"" + this.model + "\"} 1.0")
			.contains("spawn_telemetry_outcomes_total{caste=\"builder\",model=\"" + this.model
					+ "\",outcome=\"completed\"} 1.0");
	}

	@Test
	void aRetriedExportCountsOnce() {
		Instant start = Instant.now().minusSeconds(10);
		agentSpan("scout", start).end(start.plusSeconds(2));

		assertThat(exportWithTheSdk(this.finished)).isTrue();
		assertThat(exportWithTheSdk(this.finished)).isTrue();
		Answer json = postJson(json(this.finished));

		assertThat(json.status()).isEqualTo(200);
		assertThat(json.text()).isEqualTo("{}");
		assertThat(this.api.get("/stats/models/" + this.model).json().get("total_spawns").asLong()).isEqualTo(1);
	}

	@Test
	void jsonExportIsAnsweredInJsonAndRecordsTheSameSpawn() {
		Instant start = Instant.now().minusSeconds(10);
		Span oracle = agentSpan("oracle", start);
		oracle.setAttribute(RESPONSE_MODEL, this.model + "-2026-01-01");
		oracle.end(start.plusMillis(1500));

		Answer response = postJson(json(this.finished));

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.contentType()).startsWith("application/json");
		JsonNode spawn = this.api.get("/spawns/" + spawnId(oracle)).json();
		assertThat(spawn.get("caste").asString()).isEqualTo("oracle");
		assertThat(spawn.get("selected_model").asString()).isEqualTo(this.model);
		assertThat(spawn.get("served_model").asString()).isEqualTo(this.model + "-2026-01-01");
		assertThat(spawn.get("outcome").asString()).isEqualTo("completed");
		JsonNode served = this.api.get("/stats/models/" + this.model).json().get("served");
		assertThat(served.get("ended").asLong()).isEqualTo(1);
		assertThat(served.get("other_models").get(this.model + "-2026-01-01").asLong()).isEqualTo(1);
		assertThat(served.get("mismatch_share").asDouble()).isEqualTo(1.0);
		String gauge = "spawn_telemetry_served_mismatch{model=\"" + this.model + "\"} 1.0";
		await().atMost(Duration.ofMinutes(2))
			.untilAsserted(() -> assertThat(this.api.get("/actuator/prometheus").body()).contains(gauge));
	}

	@Test
	void aSpanSentAgainWithOtherValuesIsARejectedSpanNotASecondSpawn() throws Exception {
		byte[] traceId = HexFormat.of().parseHex(UUID.randomUUID().toString().replace("-", ""));
		long start = Instant.now().minusSeconds(20).toEpochMilli() * 1_000_000L;
		ExportTraceServiceRequest first = export(traceId, start, this.model, "completed");
		ExportTraceServiceRequest changed = export(traceId, start, this.model, "blocked");

		Answer recorded = postProtobuf(first.toByteArray());
		Answer again = postProtobuf(changed.toByteArray());

		assertThat(recorded.status()).isEqualTo(200);
		assertThat(ExportTraceServiceResponse.parseFrom(recorded.body()).hasPartialSuccess()).isFalse();
		assertThat(again.status()).isEqualTo(200);
		ExportTraceServiceResponse answer = ExportTraceServiceResponse.parseFrom(again.body());
		assertThat(answer.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
		assertThat(answer.getPartialSuccess().getErrorMessage()).contains("already recorded with a different outcome");
		JsonNode stats = this.api.get("/stats/models/" + this.model).json();
		assertThat(stats.get("total_spawns").asLong()).isEqualTo(1);
		assertThat(stats.get("successful_completions").asLong()).isEqualTo(1);
		assertThat(this.api.get("/actuator/prometheus").body())
			.containsPattern("spawn_telemetry_otlp_spans_total\\{reason=\"conflict\",result=\"rejected\"\\} [1-9]");
	}

	@Test
	void aBodyThatIsNotAnExportIs400WithAStatusInTheRequestsEncoding() throws Exception {
		Answer json = postJson("{\"resourceSpans\": [".getBytes());
		Answer protobuf = postProtobuf(new byte[] { 0x0A, (byte) 0xFF, 0x01 });

		assertThat(json.status()).isEqualTo(400);
		assertThat(json.contentType()).startsWith("application/json");
		assertThat(json.json().get("code").asInt()).isEqualTo(3);
		assertThat(json.json().get("message").asString()).contains("not an OTLP ExportTraceServiceRequest");
		assertThat(protobuf.status()).isEqualTo(400);
		assertThat(protobuf.contentType()).isEqualTo("application/x-protobuf");
		assertThat(Status.parseFrom(protobuf.body()).getMessage()).contains("Nothing was recorded");
	}

	@Test
	void bodiesAreBoundedBeforeAndAfterDecompression() throws Exception {
		ByteArrayOutputStream compressed = new ByteArrayOutputStream();
		try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
			gzip.write(new byte[1024 * 1024]);
		}
		Answer bomb = post(compressed.toByteArray(), Map.of("Content-Type", "application/x-protobuf",
				"Content-Encoding", "gzip", "Authorization", "Bearer " + TOKEN));
		Answer large = postProtobuf(new byte[128 * 1024]);

		assertThat(compressed.size()).isLessThan(64 * 1024);
		assertThat(bomb.status()).isEqualTo(413);
		assertThat(Status.parseFrom(bomb.body()).getMessage()).contains("telemetry.otlp.max-decoded-size");
		assertThat(large.status()).isEqualTo(413);
	}

	@Test
	void anExportOfMoreAgentSpansThanOneWriteTakesIs413AndRecordsNothing() throws Exception {
		byte[] traceId = HexFormat.of().parseHex(UUID.randomUUID().toString().replace("-", ""));
		long start = Instant.now().minusSeconds(20).toEpochMilli() * 1_000_000L;
		ExportTraceServiceRequest.Builder export = ExportTraceServiceRequest.newBuilder();
		for (int i = 1; i <= 51; i++) {
			export.addResourceSpans(
					export(traceId, start, this.model, "completed").getResourceSpans(0)
						.toBuilder()
						.setScopeSpans(0, ScopeSpans.newBuilder()
							.addSpans(export(traceId, start, this.model, "completed").getResourceSpans(0)
								.getScopeSpans(0)
								.getSpans(0)
								.toBuilder()
								.setSpanId(ByteString.copyFrom(new byte[] { 0, 0, 0, 0, 0, 0, 1, (byte) i })))));
		}

		Answer tooMany = postProtobuf(export.build().toByteArray());

		assertThat(tooMany.status()).isEqualTo(413);
		assertThat(Status.parseFrom(tooMany.body()).getMessage()).contains("51 agent spans",
				"telemetry.otlp.max-agent-spans");
		assertThat(this.api.get("/stats/models/" + this.model).status()).isEqualTo(404);
	}

	@Test
	void anExportWaitingForItsTurnToBeReadIsAnswered503NotQueuedWithoutBound() throws Exception {
		try (java.net.Socket slow = new java.net.Socket("localhost", this.port)) {
			slow.getOutputStream()
				.write(("POST /v1/traces HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-protobuf\r\n"
						+ "Authorization: Bearer " + TOKEN + "\r\nContent-Length: 100\r\n\r\n\n\u0000")
					.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
			slow.getOutputStream().flush();
			await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
				Answer waiting = postProtobuf(new byte[0]);
				assertThat(waiting.status()).isEqualTo(503);
				assertThat(Status.parseFrom(waiting.body()).getMessage())
					.contains("telemetry.otlp.max-concurrent-exports");
			});
		}
		await().atMost(Duration.ofMinutes(1)).until(() -> postProtobuf(new byte[0]).status() == 200);
	}

	@Test
	void anEmptyExportIsASuccessAndOtherMediaTypesAre415() {
		Answer empty = postJson(new byte[0]);
		Answer text = post("hello".getBytes(),
				Map.of("Content-Type", "text/plain", "Authorization", "Bearer " + TOKEN));

		assertThat(empty.status()).isEqualTo(200);
		assertThat(text.status()).isEqualTo(415);
	}

	@Test
	void theWriteTokenApplies() {
		Answer anonymous = post(new byte[0], Map.of("Content-Type", "application/x-protobuf"));

		assertThat(anonymous.status()).isEqualTo(401);
	}

	private Span agentSpan(String agent, Instant start) {
		return this.tracer.spanBuilder("invoke_agent " + agent)
			.setStartTimestamp(start)
			.setAttribute(OPERATION, "invoke_agent")
			.setAttribute(AGENT, agent)
			.setAttribute(REQUEST_MODEL, this.model)
			.startSpan();
	}

	private void toolSpan(Span agent, String tool, Instant start) {
		this.tracer.spanBuilder("execute_tool " + tool)
			.setParent(Context.root().with(agent))
			.setStartTimestamp(start)
			.setAllAttributes(Attributes.of(OPERATION, "execute_tool", TOOL, tool))
			.startSpan()
			.end(start.plusSeconds(1));
	}

	private boolean exportWithTheSdk(Collection<SpanData> spans) {
		OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
			.setEndpoint("http://localhost:" + this.port + "/v1/traces")
			.setCompression("gzip")
			.addHeader("Authorization", "Bearer " + TOKEN)
			.build();
		try {
			CompletableResultCode result = exporter.export(spans).join(30, TimeUnit.SECONDS);
			return result.isSuccess();
		}
		finally {
			exporter.shutdown().join(10, TimeUnit.SECONDS);
		}
	}

	private static byte[] json(Collection<SpanData> spans) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			TraceRequestMarshaler.create(spans).writeJsonTo(out);
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
		return out.toByteArray();
	}

	private Answer postJson(byte[] body) {
		return postWithToken(body, Map.of("Content-Type", "application/json"));
	}

	private Answer postProtobuf(byte[] body) {
		return postWithToken(body, Map.of("Content-Type", "application/x-protobuf"));
	}

	private Answer post(byte[] body, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/v1/traces"))
			.timeout(Duration.ofSeconds(60))
			.POST(HttpRequest.BodyPublishers.ofByteArray(body));
		headers.forEach(request::header);
		try {
			HttpResponse<byte[]> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
			return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
					response.body());
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private Answer postWithToken(byte[] body, Map<String, String> headers) {
		Map<String, String> withToken = new java.util.HashMap<>(headers);
		withToken.put("Authorization", "Bearer " + TOKEN);
		return post(body, withToken);
	}

	/** An answer of the OTLP receiver, whose body may be binary. */
	private record Answer(int status, String contentType, byte[] body) {

		JsonNode json() {
			return TestApi.parse(new String(this.body, java.nio.charset.StandardCharsets.UTF_8));
		}

		String text() {
			return new String(this.body, java.nio.charset.StandardCharsets.UTF_8);
		}

	}

	private static ExportTraceServiceRequest export(byte[] traceId, long startNanos, String model, String outcome) {
		io.opentelemetry.proto.trace.v1.Span span = io.opentelemetry.proto.trace.v1.Span.newBuilder()
			.setTraceId(ByteString.copyFrom(traceId))
			.setSpanId(ByteString.copyFrom(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }))
			.setName("invoke_agent builder")
			.setStartTimeUnixNano(startNanos)
			.setEndTimeUnixNano(startNanos + Duration.ofSeconds(3).toNanos())
			.addAttributes(attribute("gen_ai.operation.name", "invoke_agent"))
			.addAttributes(attribute("gen_ai.agent.name", "builder"))
			.addAttributes(attribute("gen_ai.request.model", model))
			.addAttributes(attribute("aether.outcome", outcome))
			.build();
		return ExportTraceServiceRequest.newBuilder()
			.addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
			.build();
	}

	private static KeyValue attribute(String key, String value) {
		return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
	}

	private static String spawnId(Span span) {
		return "otel-" + span.getSpanContext().getTraceId() + "-" + span.getSpanContext().getSpanId();
	}

	private static final java.time.temporal.ChronoUnit MILLIS = java.time.temporal.ChronoUnit.MILLIS;

	/** Keeps the spans the SDK finished, for the test to export as it chooses. */
	private record Collecting(List<SpanData> spans) implements SpanExporter {

		@Override
		public CompletableResultCode export(Collection<SpanData> batch) {
			this.spans.addAll(batch);
			return CompletableResultCode.ofSuccess();
		}

		@Override
		public CompletableResultCode flush() {
			return CompletableResultCode.ofSuccess();
		}

		@Override
		public CompletableResultCode shutdown() {
			return CompletableResultCode.ofSuccess();
		}

	}

}
