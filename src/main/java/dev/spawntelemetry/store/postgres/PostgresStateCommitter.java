package dev.spawntelemetry.store.postgres;

import java.sql.SQLException;
import java.time.Clock;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.spawntelemetry.store.StateCommitter;
import dev.spawntelemetry.store.TelemetryState;
import dev.spawntelemetry.store.ChangeSet;
import dev.spawntelemetry.telemetry.HistoryProperties;
import dev.spawntelemetry.telemetry.StorageUnavailableException;
import dev.spawntelemetry.telemetry.TelemetryLimits;
import dev.spawntelemetry.telemetry.TelemetrySnapshot;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.TransactionException;
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

	/** The SQLSTATE of a lock not taken within {@code lock_timeout}. */
	private static final String LOCK_NOT_AVAILABLE = "55P03";

	/**
	 * The SQLSTATE of a statement cancelled, by {@code statement_timeout} among others.
	 */
	private static final String QUERY_CANCELED = "57014";

	/** Tries before a batch takes the lock first. */
	private static final int OPTIMISTIC_TRIES = 3;

	private final TelemetryRows rows;

	private final TransactionTemplate transactions;

	private final TransactionTemplate consistentReads;

	private final int maxDecisions;

	private final TelemetryLimits limits;

	private final HistoryProperties history;

	private final Clock clock;

	private final Counter lostRaces;

	private final Counter lockedCommits;

	PostgresStateCommitter(TelemetryRows rows, Transactions transactions, int maxDecisions, TelemetryLimits limits,
			HistoryProperties history, Clock clock, MeterRegistry meters) {
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
	public TelemetrySnapshot commit(TelemetrySnapshot published, Consumer<TelemetryState> batch) {
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
		Attempt[] locked = new Attempt[1];
		try {
			return this.transactions.execute((status) -> {
				this.rows.lockState();
				TelemetrySnapshot current = this.rows.catchUp(from, this.maxDecisions);
				locked[0] = apply(current, batch);
				if (locked[0].changesAnything() && !this.rows.write(locked[0].changes, current.version(),
						locked[0].next.lastUpdated(), locked[0].commitId)) {
					throw new IllegalStateException("The telemetry state changed while this replica held its lock");
				}
				return locked[0].next;
			});
		}
		catch (RuntimeException ex) {
			if (locked[0] != null && locked[0].changesAnything() && committedAfterAll(ex, locked[0].commitId)) {
				return locked[0].next;
			}
			throw unavailableOrAsIs(ex);
		}
	}

	/**
	 * Applies the batch to a state; the next snapshot is {@code base} if nothing changed.
	 */
	private Attempt apply(TelemetrySnapshot base, Consumer<TelemetryState> batch) {
		TelemetryState state = new TelemetryState(base, this.maxDecisions, this.limits, this.history, this.clock,
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
			return Boolean.TRUE.equals(this.transactions.execute((status) -> this.rows.write(attempt.changes,
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
			throw unavailableOrAsIs(ex);
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
			logger.error("Could not learn whether commit " + commitId + " went through: " + rootMessage(ex));
			return CommitResult.UNKNOWN;
		}
	}

	/**
	 * A failure of the write itself, whose connection may have broken mid-commit: answers
	 * whether it committed after all, or throws the refusal to answer.
	 */
	private boolean committedAfterAll(RuntimeException ex, UUID commitId) {
		if (cancelledByTheDatabase(ex)) {
			throw notInTime(ex);
		}
		if (!connectionLost(ex)) {
			// the database refused the statement and rolled it back; maybe one write of
			// the
			// batch cannot be stored, which the writer then isolates
			throw ex;
		}
		return switch (resultOf(commitId)) {
			case COMMITTED -> true;
			case NOT_COMMITTED -> throw unavailable(ex);
			case UNKNOWN ->
				throw StorageUnavailableException.outcomeUnknown("The commit failed: " + rootMessage(ex), ex);
		};
	}

	/**
	 * A read or a transaction that failed before writing: for want of the database, the
	 * batch is refused as storage unavailable; anything else is left to the writer.
	 */
	private static RuntimeException unavailableOrAsIs(RuntimeException ex) {
		if (cancelledByTheDatabase(ex)) {
			return notInTime(ex);
		}
		return connectionLost(ex) ? unavailable(ex) : ex;
	}

	private static StorageUnavailableException notInTime(RuntimeException ex) {
		return StorageUnavailableException.notInTime("The database did not take the write in time: " + rootMessage(ex),
				ex);
	}

	/**
	 * Whether the database cancelled a statement at one of the bounds of its transaction
	 * ({@code lock_timeout}, {@code statement_timeout}) and so rolled the transaction
	 * back.
	 */
	private static boolean cancelledByTheDatabase(RuntimeException ex) {
		for (Throwable cause = ex; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
			if (cause instanceof SQLException sql
					&& (LOCK_NOT_AVAILABLE.equals(sql.getSQLState()) || QUERY_CANCELED.equals(sql.getSQLState()))) {
				return true;
			}
		}
		return false;
	}

	private static StorageUnavailableException unavailable(RuntimeException ex) {
		if (ex instanceof StorageUnavailableException unavailable) {
			return unavailable;
		}
		return new StorageUnavailableException("The database did not take the write: " + rootMessage(ex), ex);
	}

	/**
	 * Whether the database, or the way to it, failed, rather than refused a statement.
	 */
	private static boolean connectionLost(RuntimeException ex) {
		if (ex instanceof StorageUnavailableException || ex instanceof DataAccessResourceFailureException
				|| ex instanceof TransientDataAccessException || ex instanceof RecoverableDataAccessException
				|| ex instanceof TransactionException) {
			return true;
		}
		for (Throwable cause = ex; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && sql.getSQLState() != null && (sql.getSQLState().startsWith("08")
					|| sql.getSQLState().startsWith("57P") || sql.getSQLState().startsWith("53"))) {
				return true;
			}
		}
		return false;
	}

	private static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return String.valueOf(root.getMessage());
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
