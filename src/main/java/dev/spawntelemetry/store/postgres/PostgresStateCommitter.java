package dev.spawntelemetry.store.postgres;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.spawntelemetry.store.StateCommitter;
import dev.spawntelemetry.store.TelemetryState;
import dev.spawntelemetry.store.TelemetryState.CasteKey;
import dev.spawntelemetry.telemetry.CasteStats;
import dev.spawntelemetry.telemetry.ModelStats;
import dev.spawntelemetry.telemetry.StorageUnavailableException;
import dev.spawntelemetry.telemetry.TelemetryLimits;
import dev.spawntelemetry.telemetry.TelemetrySnapshot;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.NonTransientDataAccessException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Commits a batch in one database transaction. It locks the state row first, so that the
 * writers of all replicas take their locks in one order and never deadlock; brings its
 * working state up to what other replicas committed; applies the batch, deciding every
 * refusal from the committed rows; and writes only the rows the batch changed, with the
 * next version.
 */
final class PostgresStateCommitter implements StateCommitter {

	private static final Log logger = LogFactory.getLog(PostgresStateCommitter.class);

	/** How long to try to learn whether a commit whose answer was lost went through. */
	private static final Duration VERIFY_FOR = Duration.ofSeconds(3);

	private final TelemetryRows rows;

	private final TransactionTemplate transactions;

	private final int maxDecisions;

	private final TelemetryLimits limits;

	private final Clock clock;

	PostgresStateCommitter(TelemetryRows rows, TransactionTemplate transactions, int maxDecisions,
			TelemetryLimits limits, Clock clock) {
		this.rows = rows;
		this.transactions = transactions;
		this.maxDecisions = maxDecisions;
		this.limits = limits;
		this.clock = clock;
	}

	@Override
	public TelemetrySnapshot load() {
		return this.transactions.execute((status) -> this.rows.load(this.maxDecisions));
	}

	@Override
	public TelemetrySnapshot commit(TelemetrySnapshot published, Consumer<TelemetryState> batch) {
		UUID commitId = UUID.randomUUID();
		Attempt attempt = new Attempt();
		try {
			return this.transactions.execute((status) -> {
				this.rows.lockState();
				TelemetrySnapshot base = this.rows.catchUp(published, this.maxDecisions);
				TelemetryState state = new TelemetryState(base, this.maxDecisions, this.limits, this.clock,
						this.rows::findSpawn);
				batch.accept(state);
				if (!state.hasChanges()) {
					return base;
				}
				Map<CasteKey, CasteStats> castes = new LinkedHashMap<>();
				Map<String, ModelStats> models = new LinkedHashMap<>();
				for (CasteKey key : state.changedCastes()) {
					ModelStats model = state.model(key.model());
					models.put(key.model(), model);
					castes.put(key, model.byCaste().get(key.caste()));
				}
				var spawns = java.util.List.copyOf(state.changedSpawns());
				TelemetrySnapshot next = state.toSnapshot(base.version() + 1);
				this.rows.write(spawns, castes, models, next.version(), next.lastUpdated(), commitId);
				attempt.committing = next;
				return next;
			});
		}
		catch (RuntimeException ex) {
			if (attempt.committing != null && committedAfterAll(commitId)) {
				return attempt.committing;
			}
			throw unavailableOrAsIs(ex, attempt.committing != null);
		}
	}

	/**
	 * Whether a transaction whose commit failed committed anyway: the connection may have
	 * been lost after the database committed and before it answered. Waits for the
	 * transaction to end by locking the state row it held.
	 */
	private boolean committedAfterAll(UUID commitId) {
		long deadline = System.nanoTime() + VERIFY_FOR.toNanos();
		while (true) {
			try {
				return Boolean.TRUE.equals(this.transactions.execute((status) -> {
					this.rows.lockState();
					return this.rows.committed(commitId);
				}));
			}
			catch (RuntimeException ex) {
				if (System.nanoTime() > deadline) {
					logger.error("Could not learn whether commit " + commitId + " went through: " + ex.getMessage());
					return false;
				}
				try {
					Thread.sleep(100);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					return false;
				}
			}
		}
	}

	/**
	 * A failure of the database or of the way to it refuses the whole batch as storage
	 * unavailable; anything else may be one write the database cannot store, which the
	 * writer then isolates.
	 */
	private static RuntimeException unavailableOrAsIs(RuntimeException ex, boolean committing) {
		if (ex instanceof NonTransientDataAccessException && !(ex instanceof DataAccessResourceFailureException)
				&& !committing) {
			return ex;
		}
		if (committing) {
			return StorageUnavailableException.outcomeUnknown("The commit failed: " + rootMessage(ex), ex);
		}
		return new StorageUnavailableException("The database did not take the write: " + rootMessage(ex), ex);
	}

	private static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return String.valueOf(root.getMessage());
	}

	/**
	 * What one commit got as far as.
	 */
	private static final class Attempt {

		private TelemetrySnapshot committing;

	}

}
