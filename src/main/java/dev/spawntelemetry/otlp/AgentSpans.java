package dev.spawntelemetry.otlp;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.telemetry.EndedSpawn;
import dev.spawntelemetry.telemetry.ModelNames;
import dev.spawntelemetry.telemetry.NewSpawn;
import dev.spawntelemetry.telemetry.Outcome;
import dev.spawntelemetry.telemetry.SpawnRecord;
import dev.spawntelemetry.telemetry.Usage;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;

/**
 * Reads the spawns out of an export of spans, by the GenAI semantic conventions: each
 * {@code invoke_agent} span is one spawn that has ended; its {@code execute_tool} spans,
 * and the model calls that name the model or the tokens where the agent span does not,
 * are found among the spans of the same export below it. Spans of every other operation
 * are not spawns and are passed over.
 */
final class AgentSpans {

	static final String OPERATION = "gen_ai.operation.name";

	static final String INVOKE_AGENT = "invoke_agent";

	static final String EXECUTE_TOOL = "execute_tool";

	/** Model calls: the operations that name a model and count tokens. */
	private static final List<String> MODEL_CALLS = List.of("chat", "text_completion", "generate_content");

	static final String DEFAULT_SOURCE = "otel";

	static final String SPAWN_ID_PREFIX = "otel-";

	private static final int MAX_TASK_LENGTH = 4096;

	private static final int MAX_REASON_LENGTH = 256;

	/** Deeper than any agent's spans; a bound on a walk up a cycle of parent ids. */
	private static final int MAX_DEPTH = 64;

	private static final Pattern NOT_IN_NAMES = Pattern.compile("[^" + ModelNames.NAME_CHARACTER.substring(1) + "+");

	private static final Pattern EDGE_DASHES = Pattern.compile("^-+|-+$");

	private static final HexFormat HEX = HexFormat.of();

	private final OtlpProperties properties;

	private final Clock clock;

	AgentSpans(OtlpProperties properties, Clock clock) {
		this.properties = properties;
		this.clock = clock;
	}

	/** The agent spans of an export, each read as a spawn or refused with why. */
	List<AgentSpan> read(ExportTraceServiceRequest export) {
		Map<SpanKey, Span> byId = new HashMap<>();
		List<Span> agents = new ArrayList<>();
		for (ResourceSpans resource : export.getResourceSpansList()) {
			for (ScopeSpans scope : resource.getScopeSpansList()) {
				for (Span span : scope.getSpansList()) {
					byId.putIfAbsent(SpanKey.of(span), span);
					if (INVOKE_AGENT.equals(SpanAttributes.string(span, OPERATION))) {
						agents.add(span);
					}
				}
			}
		}
		if (agents.isEmpty()) {
			return List.of();
		}
		Map<SpanKey, SpansBelow> below = new HashMap<>();
		for (Span span : byId.values()) {
			String operation = SpanAttributes.string(span, OPERATION);
			if (operation != null && (EXECUTE_TOOL.equals(operation) || MODEL_CALLS.contains(operation))) {
				SpanKey agent = agentAbove(span, byId);
				if (agent != null) {
					below.computeIfAbsent(agent, (key) -> new SpansBelow()).add(span, operation, this.properties);
				}
			}
		}
		List<AgentSpan> read = new ArrayList<>(agents.size());
		for (Span agent : agents) {
			read.add(spawnOf(agent, below.getOrDefault(SpanKey.of(agent), new SpansBelow())));
		}
		return read;
	}

	private AgentSpan spawnOf(Span span, SpansBelow below) {
		if (span.getTraceId().size() != 16 || span.getSpanId().size() != 8 || isZero(span.getTraceId().toByteArray())
				|| isZero(span.getSpanId().toByteArray())) {
			return AgentSpan.rejected(SpanRejection.INVALID_SPAN,
					"an agent span needs a trace id of 16 bytes and a span id of 8, not all zero");
		}
		String spawnId = SPAWN_ID_PREFIX + HEX.formatHex(span.getTraceId().toByteArray()) + "-"
				+ HEX.formatHex(span.getSpanId().toByteArray());
		long start = span.getStartTimeUnixNano();
		long end = span.getEndTimeUnixNano();
		if (start <= 0 || Long.compareUnsigned(end, start) < 0) {
			return AgentSpan.rejected(SpanRejection.INVALID_SPAN,
					"span " + spawnId + " needs a start time and an end time not before it");
		}
		Instant started = instant(start);
		Instant ended = instant(end);
		Instant latest = this.clock.instant().plus(SpawnRecord.CLOCK_SKEW);
		if (ended.isAfter(latest)) {
			return AgentSpan.rejected(SpanRejection.INVALID_SPAN,
					"span " + spawnId + " ends at " + ended
							+ ", in the future: the service's clock allows an exporter's clock at most "
							+ SpawnRecord.CLOCK_SKEW.toMinutes() + " minutes ahead");
		}
		String caste = asName(SpanAttributes.firstString(span, this.properties.casteAttribute(), "gen_ai.agent.name"));
		String model = SpanAttributes.firstString(span, "gen_ai.request.model", "gen_ai.response.model");
		if (model == null) {
			model = below.model();
		}
		String served = SpanAttributes.firstString(span, "gen_ai.response.model");
		if (served == null) {
			served = below.servedModel();
		}
		String source = asName(SpanAttributes.firstString(span, this.properties.sourceAttribute()));
		String task = SpanAttributes.firstString(span, this.properties.taskAttribute(), "gen_ai.agent.description");
		if (task == null || task.isEmpty()) {
			task = span.getName().isEmpty() ? NewSpawn.UNKNOWN_TASK : span.getName();
		}
		String refusal = invalidName("caste", caste, ModelNames::isName, ModelNames.NAME_RULE);
		if (refusal == null) {
			refusal = invalidName("model", model, ModelNames::isValid, ModelNames.RULE);
		}
		if (refusal == null) {
			refusal = invalidName("served model", served, ModelNames::isValid, ModelNames.RULE);
		}
		if (refusal == null) {
			refusal = invalidName("source", source, ModelNames::isName, ModelNames.NAME_RULE);
		}
		if (refusal == null && !ModelNames.isText(task)) {
			refusal = "task " + ModelNames.TEXT_RULE;
		}
		if (refusal != null) {
			return AgentSpan.rejected(SpanRejection.INVALID_NAME, "span " + spawnId + ": " + refusal);
		}
		Long tokens = SpanAttributes.tokens(span);
		if (tokens == null) {
			tokens = below.tokens();
		}
		if (tokens < 0 || tokens > Usage.MAX_TOKENS) {
			return AgentSpan.rejected(SpanRejection.INVALID_USAGE,
					"span " + spawnId + " gives token counts that are not whole numbers from 0 to " + Usage.MAX_TOKENS);
		}
		NewSpawn spawn = new NewSpawn(spawnId, started, truncated(task, MAX_TASK_LENGTH), caste, model,
				(source != null) ? source : DEFAULT_SOURCE);
		Outcome outcome = outcome(span);
		return AgentSpan.read(new EndedSpawn(spawn, outcome, ended, new Usage(tokens, below.tools()),
				(served != null && !served.equals(spawn.models().get(0))) ? served : null, reason(span, outcome)));
	}

	/**
	 * Why a spawn did not complete: the span's {@code error.type}, else its status
	 * message; printable text, bounded.
	 */
	private static @Nullable String reason(Span span, Outcome outcome) {
		if (outcome == Outcome.COMPLETED) {
			return null;
		}
		String reason = SpanAttributes.string(span, "error.type");
		if (reason == null || reason.isBlank()) {
			reason = span.getStatus().getMessage();
		}
		if (reason.isBlank() || !ModelNames.isText(reason)) {
			return null;
		}
		return truncated(reason.strip(), MAX_REASON_LENGTH);
	}

	private Outcome outcome(Span span) {
		String stated = SpanAttributes.firstString(span, this.properties.outcomeAttribute());
		if (stated != null) {
			Outcome outcome = Outcome.fromWireName(stated.strip().toLowerCase(Locale.ROOT)).orElse(null);
			if (outcome != null) {
				return outcome;
			}
		}
		return (span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR) ? Outcome.FAILED : Outcome.COMPLETED;
	}

	/** The nearest agent span above a span in the same export, if any. */
	private static @Nullable SpanKey agentAbove(Span span, Map<SpanKey, Span> byId) {
		Span current = span;
		for (int depth = 0; depth < MAX_DEPTH && !current.getParentSpanId().isEmpty(); depth++) {
			SpanKey parentKey = new SpanKey(current.getTraceId(), current.getParentSpanId());
			Span parent = byId.get(parentKey);
			if (parent == null) {
				return null;
			}
			if (INVOKE_AGENT.equals(SpanAttributes.string(parent, OPERATION))) {
				return parentKey;
			}
			current = parent;
		}
		return null;
	}

	private static @Nullable String invalidName(String what, @Nullable String name, Predicate<String> rule,
			String ruleText) {
		if (name == null) {
			return null;
		}
		return rule.test(name) ? null : what + " '" + ModelNames.shown(name) + "' " + ruleText;
	}

	/**
	 * A name of another vocabulary, such as an agent's "Research Assistant", as a caste's
	 * or a source's: each run of characters a name cannot hold becomes one '-'.
	 */
	static @Nullable String asName(@Nullable String value) {
		if (value == null) {
			return null;
		}
		String name = NOT_IN_NAMES.matcher(value.strip()).replaceAll("-");
		name = EDGE_DASHES.matcher(name).replaceAll("");
		return (name.length() > 128) ? name.substring(0, 128) : name;
	}

	private static String truncated(String text, int maxLength) {
		if (text.length() <= maxLength) {
			return text;
		}
		int end = Character.isHighSurrogate(text.charAt(maxLength - 1)) ? maxLength - 1 : maxLength;
		return text.substring(0, end);
	}

	/** Nanoseconds since the epoch, to the millisecond, as the service records time. */
	private static Instant instant(long unixNanos) {
		return Instant
			.ofEpochSecond(Long.divideUnsigned(unixNanos, 1_000_000_000L),
					Long.remainderUnsigned(unixNanos, 1_000_000_000L))
			.truncatedTo(ChronoUnit.MILLIS);
	}

	private static boolean isZero(byte[] id) {
		for (byte b : id) {
			if (b != 0) {
				return false;
			}
		}
		return true;
	}

	/** A span as its trace and its id name it. */
	private record SpanKey(com.google.protobuf.ByteString traceId, com.google.protobuf.ByteString spanId) {

		static SpanKey of(Span span) {
			return new SpanKey(span.getTraceId(), span.getSpanId());
		}

	}

	/** An agent span read as a spawn, or refused with the reason. */
	record AgentSpan(@Nullable EndedSpawn spawn, @Nullable SpanRejection rejection, @Nullable String message) {

		static AgentSpan read(EndedSpawn spawn) {
			return new AgentSpan(spawn, null, null);
		}

		static AgentSpan rejected(SpanRejection rejection, String message) {
			return new AgentSpan(null, rejection, message);
		}

	}

}
