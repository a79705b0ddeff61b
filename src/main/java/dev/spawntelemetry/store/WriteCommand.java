package dev.spawntelemetry.store;

/**
 * One write, applied to the working state by the writer thread.
 *
 * @param <T> what the write answers
 */
@FunctionalInterface
public interface WriteCommand<T> {

	/**
	 * Applies this write. It either changes the state completely and returns, or throws a
	 * {@link dev.spawntelemetry.problem.Refusal} before changing anything.
	 */
	T apply(WorkingState state);

}
