package dev.spawntelemetry.store.postgres;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.spawntelemetry.store.SingleWriterStorage;
import dev.spawntelemetry.store.TelemetryWriter;
import dev.spawntelemetry.telemetry.BucketQuery;
import dev.spawntelemetry.telemetry.HistoryProperties;
import dev.spawntelemetry.telemetry.PropensitySums;
import dev.spawntelemetry.telemetry.StorageHealth;
import dev.spawntelemetry.telemetry.StorageUnavailableException;
import dev.spawntelemetry.telemetry.TelemetrySnapshot;
import dev.spawntelemetry.telemetry.TimeBucket;

import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The port over PostgreSQL, shared by every replica. Writes go through this replica's
 * single writer, one transaction per batch. Reads are served from memory: this replica's
 * own commits are published at once, and the commits of other replicas are read in every
 * {@code refresh-interval}, as the rows changed since the version this replica has.
 */
final class PostgresStorage extends SingleWriterStorage implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(PostgresStorage.class);

	/** Spawns deleted per transaction, so that writers never wait long for the lock. */
	private static final int DELETE_CHUNK = 5000;

	/** How long a commit's mark is kept for telling whether it went through. */
	private static final Duration COMMIT_MARKS_KEPT = Duration.ofDays(1);

	private final StateRows rows;

	private final TimeBucketRows buckets;

	private final HistoryProperties history;

	private final TransactionTemplate transactions;

	private final TransactionTemplate consistentReads;

	private final TransactionTemplate windowReads;

	private final PostgresStorageProperties properties;

	private final int maxDecisions;

	private final Clock clock;

	private final String database;

	private final ScheduledExecutorService scheduler;

	/** Only touched by the refresh thread. */
	private boolean unreachable;

	private volatile boolean running;

	PostgresStorage(TelemetryWriter writer, StateRows rows, TimeBucketRows buckets, Transactions transactions,
			PostgresStorageProperties properties, HistoryProperties history, int maxDecisions, Clock clock,
			String database) {
		super(writer);
		this.rows = rows;
		this.buckets = buckets;
		this.history = history;
		this.transactions = transactions.writes();
		this.consistentReads = transactions.consistentReads();
		this.windowReads = transactions.windowReads();
		this.properties = properties;
		this.maxDecisions = maxDecisions;
		this.clock = clock;
		this.database = database;
		this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "telemetry-postgres-refresh");
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Aggregated inside the database, in one transaction bounded by
	 * {@code telemetry.storage.read-timeout}.
	 */
	@Override
	public Map<String, Map<String, PropensitySums>> propensitySums(BucketQuery query) {
		try {
			BucketQuery kept = query.keptBy(this.history, this.clock.instant());
			return this.windowReads.execute((status) -> this.buckets.readPropensitySums(kept));
		}
		catch (DataAccessResourceFailureException | TransientDataAccessException | RecoverableDataAccessException
				| CannotCreateTransactionException ex) {
			throw StorageUnavailableException.forRead(
					"The database did not answer the evaluation read: " + ex.getMostSpecificCause().getMessage(), ex);
		}
	}

	@Override
	public List<TimeBucket> buckets(BucketQuery query) {
		try {
			BucketQuery kept = query.keptBy(this.history, this.clock.instant());
			return this.windowReads.execute((status) -> this.buckets.read(kept));
		}
		catch (DataAccessResourceFailureException | TransientDataAccessException | RecoverableDataAccessException
				| CannotCreateTransactionException ex) {
			throw StorageUnavailableException
				.forRead("The database did not answer the window read: " + ex.getMostSpecificCause().getMessage(), ex);
		}
	}

	/** UP while the database answers; asked now, not remembered. */
	@Override
	protected StorageHealth backendHealth() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("database", this.database);
		details.put("version", current().version());
		try {
			details.put("committedVersion", this.rows.version());
			return new StorageHealth(true, details);
		}
		catch (RuntimeException ex) {
			details.put("error", "cannot reach the database: " + ex.getMessage());
			return new StorageHealth(false, details);
		}
	}

	@Override
	public void start() {
		this.running = true;
		long refresh = this.properties.refreshInterval().toMillis();
		this.scheduler.scheduleWithFixedDelay(this::refresh, refresh, refresh, TimeUnit.MILLISECONDS);
		long retention = this.properties.retentionInterval().toMillis();
		this.scheduler.scheduleWithFixedDelay(this::deleteExpired, 0, retention, TimeUnit.MILLISECONDS);
	}

	@Override
	public void stop() {
		this.running = false;
		this.scheduler.shutdownNow();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Publishes what other replicas committed since this replica's version. */
	void refresh() {
		try {
			if (this.rows.version() > current().version()) {
				TelemetrySnapshot base = current();
				writer().publishIfNewer(
						this.consistentReads.execute((status) -> this.rows.catchUp(base, this.maxDecisions)));
			}
			if (this.unreachable) {
				logger.info("The database answers again");
			}
			this.unreachable = false;
		}
		catch (RuntimeException ex) {
			if (!this.unreachable) {
				logger.warn("Cannot read the database: " + ex.getMessage());
			}
			this.unreachable = true;
		}
	}

	/**
	 * Deletes spawns older than the retention, except the newest {@code max-decisions},
	 * in short transactions that each lock the state like a write.
	 */
	void deleteExpired() {
		try {
			Instant before = this.clock.instant().minus(this.properties.retention());
			int deleted;
			long total = 0;
			do {
				deleted = this.transactions.execute((status) -> {
					this.rows.lockState();
					return this.rows.deleteSpawnsBefore(before, this.maxDecisions, DELETE_CHUNK);
				});
				total += deleted;
			}
			while (deleted == DELETE_CHUNK && this.running);
			this.transactions.executeWithoutResult(
					(status) -> this.rows.deleteCommitsBefore(this.clock.instant().minus(COMMIT_MARKS_KEPT)));
			int buckets = this.transactions
				.execute((status) -> this.buckets.deleteUnkept(this.history, this.clock.instant()));
			if (buckets > 0) {
				logger.info("Deleted " + buckets + " time bucket rows older than telemetry.history keeps");
			}
			if (total > 0) {
				logger.info("Deleted " + total + " spawns stamped before " + before + " (telemetry.storage.retention "
						+ this.properties.retention() + ")");
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not delete expired spawns: " + ex.getMessage());
		}
	}

}
