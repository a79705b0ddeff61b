package dev.spawntelemetry.spawn;

import java.util.Map;
import java.util.Set;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.telemetry.ToolUsage;
import dev.spawntelemetry.telemetry.Usage;
import dev.spawntelemetry.web.InvalidRequestException;

/**
 * The body of {@code POST /spawns/{id}/usage}: usage to add to a spawn.
 */
record UsageRequest(@Nullable @PositiveOrZero @Max(MAX_TOKENS) Long tokens,
		@Nullable Map<String, @NotNull @PositiveOrZero @Max(MAX_TOOL_CALLS) Long> tools) {

	static final long MAX_TOKENS = Usage.MAX_TOKENS;

	static final long MAX_TOOL_CALLS = Usage.MAX_TOOL_CALLS;

	private static final Set<String> TOOLS = Set.of("read", "grep", "edit", "bash");

	/**
	 * The usage to add, absent counts zero.
	 * @throws InvalidRequestException if a tool is not one of read, grep, edit, bash
	 */
	Usage toUsage() {
		return new Usage((this.tokens != null) ? this.tokens : 0, toolUsage());
	}

	/**
	 * The tool counts, absent ones zero.
	 * @throws InvalidRequestException if a tool is not one of read, grep, edit, bash
	 */
	private ToolUsage toolUsage() {
		if (this.tools == null) {
			return ToolUsage.NONE;
		}
		for (String tool : this.tools.keySet()) {
			if (!TOOLS.contains(tool)) {
				throw new InvalidRequestException(
						"tools." + tool + " is not a known tool; the tools are read, grep, edit and bash");
			}
		}
		return new ToolUsage(count("read"), count("grep"), count("edit"), count("bash"));
	}

	private long count(String tool) {
		Long count = this.tools.get(tool);
		return (count != null) ? count : 0;
	}

}
