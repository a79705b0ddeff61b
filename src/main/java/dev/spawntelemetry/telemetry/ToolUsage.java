package dev.spawntelemetry.telemetry;

/**
 * How often a spawned worker used each tool.
 */
public record ToolUsage(long read, long grep, long edit, long bash) {

	public static final ToolUsage NONE = new ToolUsage(0, 0, 0, 0);

	/**
	 * Adds two usages.
	 * @throws ArithmeticException if a sum overflows
	 */
	public ToolUsage plus(ToolUsage other) {
		return new ToolUsage(Math.addExact(this.read, other.read), Math.addExact(this.grep, other.grep),
				Math.addExact(this.edit, other.edit), Math.addExact(this.bash, other.bash));
	}

}
