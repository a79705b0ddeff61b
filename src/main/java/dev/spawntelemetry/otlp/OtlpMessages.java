package dev.spawntelemetry.otlp;

import java.util.HexFormat;
import java.util.List;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

/**
 * The two encodings of OTLP/HTTP: binary protobuf, and the JSON mapping of the same
 * messages, in which trace and span ids are hex rather than base64.
 */
final class OtlpMessages {

	private static final HexFormat HEX = HexFormat.of();

	private static final java.util.Base64.Encoder BASE64 = java.util.Base64.getEncoder();

	private static final List<String> ID_FIELDS = List.of("traceId", "trace_id", "spanId", "span_id", "parentSpanId",
			"parent_span_id");

	private static final JsonFormat.Parser JSON_PARSER = JsonFormat.parser().ignoringUnknownFields();

	private static final JsonFormat.Printer JSON_PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

	private final JsonMapper json;

	OtlpMessages(JsonMapper json) {
		this.json = json;
	}

	/**
	 * An export request as sent; an empty body is an empty export.
	 * @throws RefusedExportException if the body is not one
	 */
	ExportTraceServiceRequest read(byte[] body, boolean asJson) {
		if (!asJson) {
			try {
				return ExportTraceServiceRequest.parseFrom(body);
			}
			catch (InvalidProtocolBufferException ex) {
				throw RefusedExportException.notAnExport(
						"The body is not an OTLP ExportTraceServiceRequest in protobuf: " + ex.getMessage() + ".");
			}
		}
		if (body.length == 0) {
			return ExportTraceServiceRequest.getDefaultInstance();
		}
		try {
			JsonNode tree = this.json.readTree(body);
			if (!tree.isObject()) {
				throw RefusedExportException
					.notAnExport("The body is not an OTLP ExportTraceServiceRequest in JSON: it is not an object.");
			}
			for (JsonNode resource : tree.path("resourceSpans").isArray() ? tree.path("resourceSpans")
					: tree.path("resource_spans")) {
				for (JsonNode scope : resource.path("scopeSpans").isArray() ? resource.path("scopeSpans")
						: resource.path("scope_spans")) {
					for (JsonNode span : scope.path("spans")) {
						idsToBase64(span);
						for (JsonNode link : span.path("links")) {
							idsToBase64(link);
						}
					}
				}
			}
			ExportTraceServiceRequest.Builder export = ExportTraceServiceRequest.newBuilder();
			JSON_PARSER.merge(this.json.writeValueAsString(tree), export);
			return export.build();
		}
		catch (RefusedExportException ex) {
			throw ex;
		}
		catch (InvalidProtocolBufferException | RuntimeException ex) {
			throw RefusedExportException
				.notAnExport("The body is not an OTLP ExportTraceServiceRequest in JSON: " + ex.getMessage() + ".");
		}
	}

	byte[] write(Message message, boolean asJson) {
		if (!asJson) {
			return message.toByteArray();
		}
		try {
			return JSON_PRINTER.print(message).getBytes(java.nio.charset.StandardCharsets.UTF_8);
		}
		catch (InvalidProtocolBufferException ex) {
			throw new IllegalStateException("Every message this service answers prints as JSON", ex);
		}
	}

	/** The JSON mapping of OTLP writes ids in hex; protobuf's writes bytes in base64. */
	private static void idsToBase64(JsonNode node) {
		if (!(node instanceof ObjectNode object)) {
			return;
		}
		for (String field : ID_FIELDS) {
			JsonNode id = object.get(field);
			if (id != null && id.isString()) {
				String hex = id.asString();
				try {
					object.put(field, BASE64.encodeToString(HEX.parseHex(hex)));
				}
				catch (IllegalArgumentException ex) {
					throw new IllegalArgumentException(
							field + " '" + dev.spawntelemetry.telemetry.ModelNames.shown(hex) + "' is not hex");
				}
			}
		}
	}

}
