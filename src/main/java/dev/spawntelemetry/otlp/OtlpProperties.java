package dev.spawntelemetry.otlp;

import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How OpenTelemetry agent spans become spawns.
 *
 * @param maxBodySize an export's body as sent, compressed or not; beyond it, 413
 * @param maxDecodedSize an export's body once decompressed; beyond it, 413
 * @param maxAgentSpans the agent spans one export may hold, all recorded in one write;
 * beyond it, 413
 * @param maxConcurrentExports exports decoded at once; one more waits up to 2 seconds,
 * then is answered 503: what the decoding may hold in memory is bounded by this times the
 * decoded size
 * @param casteAttribute the span attribute naming the caste, before
 * {@code gen_ai.agent.name}; none by default
 * @param taskAttribute the span attribute holding the task, before
 * {@code gen_ai.agent.description} and the span's name; none by default
 * @param sourceAttribute the span attribute naming the routing source; without it the
 * source is {@code otel}
 * @param outcomeAttribute the span attribute that states the outcome (completed, failed,
 * blocked) over the span's status; none by default
 * @param tools the tool counter (read, grep, edit or bash) each {@code gen_ai.tool.name}
 * adds to; a tool named read, grep, edit or bash (in any case) counts as itself, any
 * other tool not listed is not counted
 */
@ConfigurationProperties("telemetry.otlp")
public record OtlpProperties(@DefaultValue("4MB") DataSize maxBodySize, @DefaultValue("16MB") DataSize maxDecodedSize,
		@DefaultValue("2048") int maxAgentSpans, @DefaultValue("4") int maxConcurrentExports,
		@Nullable String casteAttribute, @Nullable String taskAttribute, @Nullable String sourceAttribute,
		@Nullable String outcomeAttribute, Map<String, String> tools) {

	@ConstructorBinding
	public OtlpProperties {
		tools = Map.copyOf((tools != null) ? tools : Map.of());
		tools.forEach((tool, kind) -> {
			if (parsedKind(kind) == null) {
				throw new IllegalArgumentException(
						"telemetry.otlp.tools[" + tool + "] must be one of read, grep, edit, bash (was " + kind + ")");
			}
		});
		if (maxAgentSpans < 1 || maxConcurrentExports < 1) {
			throw new IllegalArgumentException(
					"telemetry.otlp.max-agent-spans and telemetry.otlp.max-concurrent-exports must be at least 1");
		}
		if (maxBodySize.toBytes() <= 0 || maxDecodedSize.compareTo(maxBodySize) < 0) {
			throw new IllegalArgumentException("telemetry.otlp.max-decoded-size (" + maxDecodedSize
					+ ") must be at least telemetry.otlp.max-body-size (" + maxBodySize + "), which must be positive");
		}
	}

	/** The tool counter a tool adds to, or {@code null} if it is not counted. */
	@Nullable ToolKind toolKind(@Nullable String tool) {
		if (tool == null) {
			return null;
		}
		String mapped = this.tools.get(tool);
		return parsedKind((mapped != null) ? mapped : tool);
	}

	private static @Nullable ToolKind parsedKind(String kind) {
		return switch (kind.strip().toLowerCase(Locale.ROOT)) {
			case "read" -> ToolKind.READ;
			case "grep" -> ToolKind.GREP;
			case "edit" -> ToolKind.EDIT;
			case "bash" -> ToolKind.BASH;
			default -> null;
		};
	}

}
