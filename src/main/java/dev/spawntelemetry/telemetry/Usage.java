package dev.spawntelemetry.telemetry;

/**
 * Tokens and tool calls reported for a spawn, to be added to what it has.
 */
public record Usage(long tokens, ToolUsage tools) {

	public static final Usage NONE = new Usage(0, ToolUsage.NONE);

}
