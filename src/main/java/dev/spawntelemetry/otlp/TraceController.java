package dev.spawntelemetry.otlp;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import dev.spawntelemetry.otlp.AgentSpans.AgentSpan;
import dev.spawntelemetry.problem.Refusal;
import dev.spawntelemetry.spawn.SpawnMetrics;
import dev.spawntelemetry.telemetry.EndedSpawn;
import dev.spawntelemetry.telemetry.LimitExceededException;
import dev.spawntelemetry.telemetry.TelemetryStorage;
import dev.spawntelemetry.web.ReadsCompressedBodies;
import dev.spawntelemetry.web.WriterAnswer;

import com.google.protobuf.Message;
import com.google.rpc.Code;
import com.google.rpc.Status;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The OTLP/HTTP traces receiver: {@code invoke_agent} spans become spawns, each recorded
 * with its outcome and usage, all those of one export in one write. It answers as the
 * OTLP specification says, in the request's encoding: an export response, with the spans
 * it could not count in {@code partialSuccess}; a {@code google.rpc.Status} when nothing
 * was recorded.
 */
@RestController
@Tag(name = "opentelemetry", description = "OTLP/HTTP ingestion of GenAI agent spans")
class TraceController {

	static final MediaType PROTOBUF = MediaType.parseMediaType("application/x-protobuf");

	private static final String EXAMPLE_EXPORT = """
			{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c",
			"spanId":"eee19b7ec3c1b174","name":"invoke_agent builder","startTimeUnixNano":"1764590400000000000",
			"endTimeUnixNano":"1764590460000000000","attributes":[
			{"key":"gen_ai.operation.name","value":{"stringValue":"invoke_agent"}},
			{"key":"gen_ai.agent.name","value":{"stringValue":"builder"}},
			{"key":"gen_ai.request.model","value":{"stringValue":"glm-5"}}]}]}]}]}""";

	private static final String EXAMPLE_PARTIAL_SUCCESS = """
			{"partialSuccess":{"rejectedSpans":"1","errorMessage":"1 of 3 agent spans were not counted; the first: …"}}""";

	private static final String EXAMPLE_STATUS = """
			{"code":3,"message":"The body is not an OTLP ExportTraceServiceRequest in JSON: … Nothing was recorded."}""";

	/** How long an export waits for its turn to be decoded before it is answered 503. */
	private static final Duration DECODING_WAIT = Duration.ofSeconds(2);

	private final TelemetryStorage storage;

	private final OtlpProperties properties;

	private final AgentSpans agentSpans;

	private final OtlpMessages messages;

	private final OtlpMetrics metrics;

	private final SpawnMetrics spawnMetrics;

	private final Semaphore decoding;

	TraceController(TelemetryStorage storage, OtlpProperties properties, JsonMapper json, OtlpMetrics metrics,
			SpawnMetrics spawnMetrics, Clock clock) {
		this.spawnMetrics = spawnMetrics;
		this.decoding = new Semaphore(properties.maxConcurrentExports());
		this.storage = storage;
		this.properties = properties;
		this.agentSpans = new AgentSpans(properties, clock);
		this.messages = new OtlpMessages(json);
		this.metrics = metrics;
	}

	@Operation(operationId = "exportTraces", summary = "Record OpenTelemetry agent spans (OTLP/HTTP)",
			description = "The OTLP/HTTP traces endpoint, for OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: an "
					+ "ExportTraceServiceRequest as application/x-protobuf or application/json, optionally with "
					+ "Content-Encoding: gzip, answered in the same encoding. Each span with gen_ai.operation.name "
					+ "invoke_agent is one spawn, recorded with its outcome and usage (docs/opentelemetry.md has the "
					+ "mapping); other spans are passed over. spawn_id is otel-<trace id>-<span id>, so a retried "
					+ "export counts once. Spans that cannot be counted are reported in partialSuccess with 200; a "
					+ "body that is not an export is 400, and a write the service cannot take now is 503 with "
					+ "Retry-After, each with a google.rpc.Status.")
	@io.swagger.v3.oas.annotations.parameters.RequestBody(
			description = "An OTLP ExportTraceServiceRequest (opentelemetry-proto collector/trace/v1); empty is an empty "
					+ "export",
			content = {
					@Content(mediaType = "application/x-protobuf",
							schema = @Schema(type = "string", format = "binary")),
					@Content(mediaType = "application/json",
							schema = @Schema(type = "object",
									description = "The OTLP JSON encoding: ids in hex, enums as integers"),
							examples = @ExampleObject(value = EXAMPLE_EXPORT)) })
	@ApiResponse(responseCode = "200",
			description = "Every agent span counted (an empty response), or partialSuccess with the number that could "
					+ "not be and the first reason",
			content = {
					@Content(mediaType = "application/x-protobuf",
							schema = @Schema(type = "string", format = "binary")),
					@Content(mediaType = "application/json", schema = @Schema(type = "object"),
							examples = @ExampleObject(value = EXAMPLE_PARTIAL_SUCCESS)) })
	@ApiResponse(responseCode = "400", description = "Not an export request; nothing was recorded", content = {
			@Content(mediaType = "application/x-protobuf", schema = @Schema(type = "string", format = "binary")),
			@Content(mediaType = "application/json", schema = @Schema(type = "object"),
					examples = @ExampleObject(value = EXAMPLE_STATUS)) })
	@ApiResponse(responseCode = "413",
			description = "Beyond telemetry.otlp.max-body-size as sent, telemetry.otlp.max-decoded-size decompressed or "
					+ "telemetry.otlp.max-agent-spans agent spans",
			content = @Content(mediaType = "application/json", schema = @Schema(type = "object")))
	@ApiResponse(responseCode = "415", description = "Neither protobuf nor JSON, or a coding other than gzip",
			content = @Content(mediaType = "application/json", schema = @Schema(type = "object")))
	@ApiResponse(responseCode = "503",
			description = "The writer cannot take the export now, or too many exports are being read at once; nothing "
					+ "was recorded. Retry after Retry-After",
			content = @Content(mediaType = "application/json", schema = @Schema(type = "object")))
	@PostMapping(path = "/v1/traces")
	@ReadsCompressedBodies
	WriterAnswer<byte[]> export(HttpServletRequest request) {
		MediaType type = mediaType(request.getContentType());
		boolean asJson = type == null || MediaType.APPLICATION_JSON.isCompatibleWith(type);
		if (type == null || !(asJson || PROTOBUF.isCompatibleWith(type))) {
			return answered(status(HttpStatus.UNSUPPORTED_MEDIA_TYPE, Code.INVALID_ARGUMENT,
					"Content-Type must be application/x-protobuf or application/json (was " + request.getContentType()
							+ ")",
					true));
		}
		List<AgentSpan> spans;
		try {
			if (!this.decoding.tryAcquire(DECODING_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
				return answered(unavailable("More than telemetry.otlp.max-concurrent-exports ("
						+ this.properties.maxConcurrentExports() + ") exports are being read at once; nothing was "
						+ "recorded. Retry after Retry-After.", Refusal.RETRY_AFTER, asJson));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return answered(unavailable("The service is stopping; nothing was recorded.", Refusal.RETRY_AFTER, asJson));
		}
		try {
			spans = this.agentSpans.read(this.messages.read(ExportBodies.read(request, this.properties), asJson));
		}
		catch (RefusedExportException ex) {
			return answered(status(ex.status(), ex.code(), ex.getMessage(), asJson));
		}
		finally {
			this.decoding.release();
		}
		if (spans.size() > this.properties.maxAgentSpans()) {
			RefusedExportException tooMany = RefusedExportException.tooLarge("The export holds " + spans.size()
					+ " agent spans; one export may hold " + this.properties.maxAgentSpans()
					+ " (telemetry.otlp.max-agent-spans): export smaller batches.");
			return answered(status(tooMany.status(), tooMany.code(), tooMany.getMessage(), asJson));
		}
		List<EndedSpawn> spawns = new ArrayList<>(spans.size());
		for (AgentSpan span : spans) {
			if (span.spawn() != null) {
				spawns.add(span.spawn());
			}
		}
		if (spawns.isEmpty()) {
			return answered(answer(spans, List.of(), asJson));
		}
		return new WriterAnswer<>(this.storage.recordEndedSpawns(spawns).handle((recorded, failure) -> {
			if (failure == null) {
				return answer(spans, recorded, asJson);
			}
			Throwable cause = (failure instanceof CompletionException && failure.getCause() != null)
					? failure.getCause() : failure;
			if (cause instanceof Refusal refusal && refusal.retryAfter() != null) {
				return unavailable(refusal.getMessage(), refusal.retryAfter(), asJson);
			}
			throw (failure instanceof CompletionException completion) ? completion : new CompletionException(cause);
		}));
	}

	private static WriterAnswer<byte[]> answered(ResponseEntity<byte[]> answer) {
		return new WriterAnswer<>(CompletableFuture.completedFuture(answer));
	}

	/**
	 * The export response: every agent span counted, or the number that could not be and
	 * the first reason.
	 */
	private ResponseEntity<byte[]> answer(List<AgentSpan> spans, List<EndedSpawn.Recorded> recorded, boolean asJson) {
		long rejected = 0;
		String firstReason = null;
		int next = 0;
		for (AgentSpan span : spans) {
			SpanRejection rejection = span.rejection();
			String message = span.message();
			if (span.spawn() != null) {
				EndedSpawn.Recorded outcome = recorded.get(next++);
				if (outcome.refusal() != null) {
					rejection = (outcome.refusal() instanceof LimitExceededException) ? SpanRejection.LIMIT_EXCEEDED
							: SpanRejection.CONFLICT;
					message = outcome.refusal().getMessage();
				}
				else if (outcome.change() != null) {
					this.spawnMetrics.endedSpawnRecorded(outcome.change());
					this.metrics.spanRecorded(outcome.change().changed());
				}
			}
			if (rejection != null) {
				this.metrics.spanRejected(rejection);
				rejected++;
				if (firstReason == null) {
					firstReason = message;
				}
			}
		}
		ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
		if (rejected > 0) {
			response.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
				.setRejectedSpans(rejected)
				.setErrorMessage(
						rejected + " of " + spans.size() + " agent spans were not counted; the first: " + firstReason));
		}
		return encoded(HttpStatus.OK, response.build(), asJson);
	}

	/** A 503 for the exporter to retry: nothing of the export was recorded. */
	private ResponseEntity<byte[]> unavailable(String message, Duration retryAfter, boolean asJson) {
		this.metrics.exportNotTaken();
		ResponseEntity<byte[]> unavailable = status(HttpStatus.SERVICE_UNAVAILABLE, Code.UNAVAILABLE, message, asJson);
		return ResponseEntity.status(unavailable.getStatusCode())
			.headers(unavailable.getHeaders())
			.header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter.toSeconds()))
			.body(unavailable.getBody());
	}

	private ResponseEntity<byte[]> status(HttpStatus status, Code code, String message, boolean asJson) {
		return encoded(status, Status.newBuilder().setCode(code.getNumber()).setMessage(message).build(), asJson);
	}

	private ResponseEntity<byte[]> encoded(HttpStatus status, Message message, boolean asJson) {
		return ResponseEntity.status(status)
			.contentType(asJson ? MediaType.APPLICATION_JSON : PROTOBUF)
			.body(this.messages.write(message, asJson));
	}

	private static @Nullable MediaType mediaType(@Nullable String contentType) {
		if (contentType == null) {
			return null;
		}
		try {
			return MediaType.parseMediaType(contentType);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}
