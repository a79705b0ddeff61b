package dev.spawntelemetry.telemetry;

/**
 * Tokens and tool calls reported for a spawn, to be added to what it has.
 */
public record Usage(long tokens, ToolUsage tools) {

	public static final Usage NONE = new Usage(0, ToolUsage.NONE);

	/** Far above any real spawn, and far below where adding could overflow. */
	public static final long MAX_TOKENS = 1_000_000_000_000L;

	public static final long MAX_TOOL_CALLS = 1_000_000_000L;

}
