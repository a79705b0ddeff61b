package dev.spawntelemetry.store.postgres;

import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.store.StateCommitter;
import dev.spawntelemetry.store.WorkingState;
import dev.spawntelemetry.store.ChangeSet;
import dev.spawntelemetry.telemetry.HistoryProperties;
import dev.spawntelemetry.telemetry.StorageUnavailableException;
import dev.spawntelemetry.telemetry.Limits;
import dev.spawntelemetry.telemetry.TelemetrySnapshot;

import org.springframework.transaction.support.TransactionTemplate;

/**
 * Commits a batch with optimistic concurrency. It brings a working state up to what the
 * other replicas committed (reading only the rows changed since its version), applies the
 * batch to it, deciding every refusal from the committed rows, and writes only the rows
 * the batch changed in one statement that applies only if no other commit came in
 * between; the state row is then locked inside the database for that statement alone,
 * never while this process works. If another commit came first, it does it all again on
 * the newer state; after a few such losses it takes the state's lock first, so that a
 * slow replica is never starved. Every transaction that locks locks the state row first,
 * so no two ever deadlock.
 */
final class PostgresStateCommitter implements StateCommitter {

	private static final Log logger = LogFactory.getLog(PostgresStateCommitter.class);

	/** Tries before a batch takes the lock first. */
	private static final int OPTIMISTIC_TRIES = 3;

	private final StateRows rows;

	private final BatchRows batches;

	private final TransactionTemplate transactions;

	private final TransactionTemplate consistentReads;

	private final int maxDecisions;

	private final Limits limits;

	private final HistoryProperties history;

	private final Clock clock;

	private final Counter lostRaces;

	private final Counter lockedCommits;

	PostgresStateCommitter(StateRows rows, BatchRows batches, Transactions transactions, int maxDecisions,
			Limits limits, HistoryProperties history, Clock clock, MeterRegistry meters) {
		this.batches = batches;
		this.history = history;
		this.lostRaces = Counter.builder("spawn.telemetry.writer.commit.conflicts")
			.description("Batches applied again because another replica committed first")
			.register(meters);
		this.lockedCommits = Counter.builder("spawn.telemetry.writer.commit.locked")
			.description("Batches committed under the state's lock after losing " + OPTIMISTIC_TRIES + " races")
			.register(meters);
		this.rows = rows;
		this.transactions = transactions.writes();
		this.consistentReads = transactions.consistentReads();
		this.maxDecisions = maxDecisions;
		this.limits = limits;
		this.clock = clock;
	}

	@Override
	public TelemetrySnapshot load() {
		return this.consistentReads.execute((status) -> this.rows.load(this.maxDecisions));
	}

	@Override
	public TelemetrySnapshot commit(TelemetrySnapshot published, Consumer<WorkingState> batch) {
		TelemetrySnapshot base = published;
		for (int tried = 0; tried < OPTIMISTIC_TRIES; tried++) {
			TelemetrySnapshot from = base;
			base = read(() -> this.consistentReads.execute((status) -> this.rows.catchUp(from, this.maxDecisions)));
			Attempt attempt = apply(base, batch);
			if (!attempt.changesAnything() || write(attempt, base.version())) {
				return attempt.next;
			}
			this.lostRaces.increment();
		}
		this.lockedCommits.increment();
		TelemetrySnapshot from = base;
		AtomicReference<@Nullable Attempt> locked = new AtomicReference<>();
		try {
			return this.transactions.execute((status) -> {
				this.rows.lockState();
				TelemetrySnapshot current = this.rows.catchUp(from, this.maxDecisions);
				Attempt attempt = apply(current, batch);
				locked.set(attempt);
				if (attempt.changesAnything() && !this.batches.write(attempt.changes, current.version(),
						attempt.next.lastUpdated(), attempt.commitId)) {
					throw new IllegalStateException("The telemetry state changed while this replica held its lock");
				}
				return attempt.next;
			});
		}
		catch (RuntimeException ex) {
			Attempt attempt = locked.get();
			if (attempt != null && attempt.changesAnything() && committedAfterAll(ex, attempt.commitId)) {
				return attempt.next;
			}
			throw DatabaseFailures.unavailableOrAsIs(ex);
		}
	}

	/**
	 * Applies the batch to a state; the next snapshot is {@code base} if nothing changed.
	 */
	private Attempt apply(TelemetrySnapshot base, Consumer<WorkingState> batch) {
		WorkingState state = new WorkingState(base, this.maxDecisions, this.limits, this.history, this.clock,
				(spawnId) -> read(() -> this.rows.findSpawn(spawnId)));
		batch.accept(state);
		if (!state.hasChanges()) {
			return new Attempt(base, ChangeSet.NONE, UUID.randomUUID());
		}
		ChangeSet changes = state.changes();
		return new Attempt(state.toSnapshot(base.version() + 1), changes, UUID.randomUUID());
	}

	/** Writes an attempt as one statement; false if another commit came first. */
	private boolean write(Attempt attempt, long expectedVersion) {
		try {
			return Boolean.TRUE.equals(this.transactions.execute((status) -> this.batches.write(attempt.changes,
					expectedVersion, attempt.next.lastUpdated(), attempt.commitId)));
		}
		catch (RuntimeException ex) {
			return committedAfterAll(ex, attempt.commitId);
		}
	}

	/**
	 * A read that fails for want of the database refuses the batch as storage
	 * unavailable.
	 */
	private <T> T read(Supplier<T> read) {
		try {
			return read.get();
		}
		catch (RuntimeException ex) {
			throw DatabaseFailures.unavailableOrAsIs(ex);
		}
	}

	/**
	 * Whether a write whose connection broke committed anyway: the connection may have
	 * been lost after the database committed and before it answered. Waits for any
	 * transaction still holding the state row to end by locking it, then looks for the
	 * write's mark; asked once, so that the answer comes within one connection-timeout
	 * and one lock-timeout.
	 */
	private CommitResult resultOf(UUID commitId) {
		try {
			return Boolean.TRUE.equals(this.transactions.execute((status) -> {
				this.rows.lockState();
				return this.rows.committed(commitId);
			})) ? CommitResult.COMMITTED : CommitResult.NOT_COMMITTED;
		}
		catch (RuntimeException ex) {
			logger.error("Could not learn whether commit " + commitId + " went through: "
					+ DatabaseFailures.rootMessage(ex));
			return CommitResult.UNKNOWN;
		}
	}

	/**
	 * A failure of the write itself, whose connection may have broken mid-commit: answers
	 * whether it committed after all, or throws the refusal to answer.
	 */
	private boolean committedAfterAll(RuntimeException ex, UUID commitId) {
		if (DatabaseFailures.cancelledByTheDatabase(ex)) {
			throw DatabaseFailures.notInTime(ex);
		}
		if (!DatabaseFailures.connectionLost(ex)) {
			// the database refused the statement and rolled it back; maybe one write
			// of the batch cannot be stored, which the writer then isolates
			throw ex;
		}
		return switch (resultOf(commitId)) {
			case COMMITTED -> true;
			case NOT_COMMITTED -> throw DatabaseFailures.unavailable(ex);
			case UNKNOWN -> throw StorageUnavailableException
				.outcomeUnknown("The commit failed: " + DatabaseFailures.rootMessage(ex), ex);
		};
	}

	/** Whether a commit whose answer was lost committed. */
	private enum CommitResult {

		COMMITTED, NOT_COMMITTED, UNKNOWN

	}

	/** A batch applied to one state: the snapshot it makes and what to write for it. */
	private record Attempt(TelemetrySnapshot next, ChangeSet changes, UUID commitId) {

		boolean changesAnything() {
			return !this.changes.isEmpty();
		}

	}

}
