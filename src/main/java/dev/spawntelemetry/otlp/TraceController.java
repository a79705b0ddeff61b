package dev.spawntelemetry.otlp;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

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

import com.google.protobuf.Message;
import com.google.rpc.Code;
import com.google.rpc.Status;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

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

	/** For the servlet container, a timeout of zero or less is none. */
	private static final Long NO_TIMEOUT = -1L;

	private final TelemetryStorage storage;

	private final OtlpProperties properties;

	private final AgentSpans agentSpans;

	private final OtlpMessages messages;

	private final OtlpMetrics metrics;

	private final SpawnMetrics spawnMetrics;

	TraceController(TelemetryStorage storage, OtlpProperties properties, JsonMapper json, OtlpMetrics metrics,
			SpawnMetrics spawnMetrics, Clock clock) {
		this.spawnMetrics = spawnMetrics;
		this.storage = storage;
		this.properties = properties;
		this.agentSpans = new AgentSpans(properties, clock);
		this.messages = new OtlpMessages(json);
		this.metrics = metrics;
	}

	@Operation(summary = "Record OpenTelemetry agent spans (OTLP/HTTP)",
			description = "The OTLP/HTTP traces endpoint, for OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: an "
					+ "ExportTraceServiceRequest as application/x-protobuf or application/json, optionally with "
					+ "Content-Encoding: gzip, answered in the same encoding. Each span with gen_ai.operation.name "
					+ "invoke_agent is one spawn, recorded with its outcome and usage (docs/opentelemetry.md has the "
					+ "mapping); other spans are passed over. spawn_id is otel-<trace id>-<span id>, so a retried "
					+ "export counts once. Spans that cannot be counted are reported in partialSuccess with 200; a "
					+ "body that is not an export is 400, and a write the service cannot take now is 503 with "
					+ "Retry-After, each with a google.rpc.Status.")
	@PostMapping(path = "/v1/traces")
	@ReadsCompressedBodies
	DeferredResult<ResponseEntity<byte[]>> export(HttpServletRequest request) {
		DeferredResult<ResponseEntity<byte[]>> result = new DeferredResult<>(NO_TIMEOUT);
		MediaType type = mediaType(request.getContentType());
		boolean asJson = type == null || MediaType.APPLICATION_JSON.isCompatibleWith(type);
		if (type == null || !(asJson || PROTOBUF.isCompatibleWith(type))) {
			result.setResult(status(HttpStatus.UNSUPPORTED_MEDIA_TYPE, Code.INVALID_ARGUMENT,
					"Content-Type must be application/x-protobuf or application/json (was " + request.getContentType()
							+ ")",
					true));
			return result;
		}
		ExportTraceServiceRequest export;
		try {
			export = this.messages.read(body(request), asJson);
		}
		catch (TooLargeException ex) {
			result.setResult(status(HttpStatus.CONTENT_TOO_LARGE, Code.RESOURCE_EXHAUSTED, ex.getMessage(), asJson));
			return result;
		}
		catch (UnsupportedEncodingException ex) {
			result.setResult(status(HttpStatus.UNSUPPORTED_MEDIA_TYPE, Code.INVALID_ARGUMENT, ex.getMessage(), asJson));
			return result;
		}
		catch (OtlpMessages.NotAnExportException ex) {
			result.setResult(status(HttpStatus.BAD_REQUEST, Code.INVALID_ARGUMENT, ex.getMessage(), asJson));
			return result;
		}
		catch (IOException ex) {
			result.setResult(status(HttpStatus.BAD_REQUEST, Code.INVALID_ARGUMENT,
					"The body could not be read: " + ex.getMessage(), asJson));
			return result;
		}
		List<AgentSpan> spans = this.agentSpans.read(export);
		List<EndedSpawn> spawns = new ArrayList<>(spans.size());
		for (AgentSpan span : spans) {
			if (span.spawn() != null) {
				spawns.add(span.spawn());
			}
		}
		if (spawns.isEmpty()) {
			result.setResult(answer(spans, List.of(), asJson));
			return result;
		}
		this.storage.recordEndedSpawns(spawns).whenComplete((recorded, failure) -> {
			if (failure == null) {
				result.setResult(answer(spans, recorded, asJson));
				return;
			}
			Throwable cause = (failure instanceof CompletionException && failure.getCause() != null)
					? failure.getCause() : failure;
			if (cause instanceof Refusal refusal && refusal.retryAfter() != null) {
				this.metrics.exportNotTaken();
				ResponseEntity<byte[]> unavailable = status(HttpStatus.SERVICE_UNAVAILABLE, Code.UNAVAILABLE,
						refusal.getMessage(), asJson);
				result.setResult(ResponseEntity.status(unavailable.getStatusCode())
					.headers(unavailable.getHeaders())
					.header(HttpHeaders.RETRY_AFTER, Long.toString(refusal.retryAfter().toSeconds()))
					.body(unavailable.getBody()));
				return;
			}
			result.setErrorResult(cause);
		});
		return result;
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

	private ResponseEntity<byte[]> status(HttpStatus status, Code code, String message, boolean asJson) {
		return encoded(status, Status.newBuilder().setCode(code.getNumber()).setMessage(message).build(), asJson);
	}

	private ResponseEntity<byte[]> encoded(HttpStatus status, Message message, boolean asJson) {
		return ResponseEntity.status(status)
			.contentType(asJson ? MediaType.APPLICATION_JSON : PROTOBUF)
			.body(this.messages.write(message, asJson));
	}

	/**
	 * The body as sent, decompressed if it is gzip, each bounded: an export far larger
	 * than any exporter's batch cannot take the memory of the others.
	 */
	private byte[] body(HttpServletRequest request) throws IOException {
		long maxBody = this.properties.maxBodySize().toBytes();
		if (request.getContentLengthLong() > maxBody) {
			throw TooLargeException.sent(maxBody);
		}
		String coding = request.getHeader(HttpHeaders.CONTENT_ENCODING);
		coding = (coding != null) ? coding.strip() : "";
		boolean gzip = "gzip".equalsIgnoreCase(coding) || "x-gzip".equalsIgnoreCase(coding);
		if (!gzip && !coding.isEmpty() && !"identity".equalsIgnoreCase(coding)) {
			throw new UnsupportedEncodingException(
					"Content-Encoding '" + dev.spawntelemetry.telemetry.ModelNames.shown(coding)
							+ "' is not accepted: send gzip or identity. Nothing was recorded.");
		}
		byte[] sent = readAtMost(request.getInputStream(), maxBody);
		if (sent == null) {
			throw TooLargeException.sent(maxBody);
		}
		if (!gzip) {
			return sent;
		}
		long maxDecoded = this.properties.maxDecodedSize().toBytes();
		try (InputStream decompressed = new GZIPInputStream(new ByteArrayInputStream(sent))) {
			byte[] decoded = readAtMost(decompressed, maxDecoded);
			if (decoded == null) {
				throw new TooLargeException("The body decompresses to more than " + maxDecoded
						+ " bytes (telemetry.otlp.max-decoded-size); export smaller batches. Nothing was recorded.");
			}
			return decoded;
		}
		catch (ZipException | java.io.EOFException ex) {
			throw new IOException("it is not valid gzip (" + ex.getMessage() + ")", ex);
		}
	}

	/** All of a stream, or {@code null} if it holds more than {@code max} bytes. */
	private static byte @Nullable [] readAtMost(InputStream in, long max) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		long total = 0;
		int n;
		while ((n = in.read(buffer)) > 0) {
			total += n;
			if (total > max) {
				return null;
			}
			out.write(buffer, 0, n);
		}
		return out.toByteArray();
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

	/** A body beyond the bounds of an export. */
	private static final class TooLargeException extends IOException {

		TooLargeException(String message) {
			super(message);
		}

		static TooLargeException sent(long max) {
			return new TooLargeException("The body is larger than " + max
					+ " bytes (telemetry.otlp.max-body-size); export smaller batches. Nothing was recorded.");
		}

	}

	/** A content coding other than gzip or identity. */
	private static final class UnsupportedEncodingException extends IOException {

		UnsupportedEncodingException(String message) {
			super(message);
		}

	}

}
