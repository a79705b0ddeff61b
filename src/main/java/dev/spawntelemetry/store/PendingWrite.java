package dev.spawntelemetry.store;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.telemetry.StorageUnavailableException;
import dev.spawntelemetry.problem.Refusal;

/**
 * A write waiting for, or being handled by, the writer. Either the writer takes it, and
 * then its answer waits for the persist, or it expires in the queue and is never applied;
 * never both.
 */
final class PendingWrite<T> {

	private static final int QUEUED = 0;

	private static final int TAKEN = 1;

	private static final int EXPIRED = 2;

	private final String description;

	private final WriteCommand<T> command;

	private final CompletableFuture<T> answer = new CompletableFuture<>();

	private final AtomicInteger state = new AtomicInteger(QUEUED);

	private final long submittedNanos = System.nanoTime();

	private @Nullable T result;

	private @Nullable RuntimeException rejection;

	PendingWrite(String description, WriteCommand<T> command) {
		this.description = description;
		this.command = command;
	}

	CompletableFuture<T> answer() {
		return this.answer;
	}

	/** When the write was queued, on {@link System#nanoTime()}'s scale. */
	long submittedNanos() {
		return this.submittedNanos;
	}

	boolean take() {
		return this.state.compareAndSet(QUEUED, TAKEN);
	}

	void expire(RuntimeException failure) {
		if (this.state.compareAndSet(QUEUED, EXPIRED)) {
			this.answer.completeExceptionally(failure);
		}
	}

	/**
	 * Applies the command; a rejection is kept to be answered once the batch is durable.
	 */
	void apply(WorkingState state) {
		this.result = null;
		this.rejection = null;
		try {
			this.result = this.command.apply(state);
		}
		catch (StorageUnavailableException ex) {
			// a look-up the write needed found no storage: so would every other write of
			// the batch, which fails as a whole at once rather than one look-up at a time
			throw ex;
		}
		catch (Refusal ex) {
			this.rejection = ex;
		}
	}

	/** What this write is, for a log line. */
	String describe() {
		return this.description;
	}

	void answerApplied() {
		if (this.rejection != null) {
			this.answer.completeExceptionally(this.rejection);
		}
		else {
			this.answer.complete(this.result);
		}
	}

	void fail(Throwable failure) {
		this.answer.completeExceptionally(failure);
	}

}
