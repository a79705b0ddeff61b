package dev.spawntelemetry.otlp;

import java.util.EnumMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.telemetry.ToolUsage;

import io.opentelemetry.proto.trace.v1.Span;

/**
 * What the spans below one agent span in the same export add to it: its tool calls, and
 * the model and tokens of its model calls where the agent span names none.
 */
final class SpansBelow {

	private final Map<ToolKind, Long> tools = new EnumMap<>(ToolKind.class);

	private @Nullable String model;

	private @Nullable String servedModel;

	private long tokens;

	void add(Span span, String operation, OtlpProperties properties) {
		if (AgentSpans.EXECUTE_TOOL.equals(operation)) {
			ToolKind kind = properties.toolKind(SpanAttributes.string(span, "gen_ai.tool.name"));
			if (kind != null) {
				this.tools.merge(kind, 1L, Long::sum);
			}
			return;
		}
		if (this.model == null) {
			this.model = SpanAttributes.firstString(span, "gen_ai.request.model", "gen_ai.response.model");
		}
		if (this.servedModel == null) {
			this.servedModel = SpanAttributes.firstString(span, "gen_ai.response.model");
		}
		Long counted = SpanAttributes.tokens(span);
		if (counted != null && counted >= 0 && this.tokens >= 0) {
			this.tokens = (this.tokens + counted < 0) ? Long.MAX_VALUE : this.tokens + counted;
		}
		else if (counted != null) {
			this.tokens = -1;
		}
	}

	/** The model of the first model call below, or {@code null}. */
	@Nullable String model() {
		return this.model;
	}

	/** The model that served the first model call below that says, or {@code null}. */
	@Nullable String servedModel() {
		return this.servedModel;
	}

	/** The tokens of the model calls below; -1 if one counted them wrongly. */
	long tokens() {
		return this.tokens;
	}

	ToolUsage tools() {
		return new ToolUsage(this.tools.getOrDefault(ToolKind.READ, 0L), this.tools.getOrDefault(ToolKind.GREP, 0L),
				this.tools.getOrDefault(ToolKind.EDIT, 0L), this.tools.getOrDefault(ToolKind.BASH, 0L));
	}

}
