package dev.spawntelemetry.store.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.store.ChangeSet;
import dev.spawntelemetry.store.StateCommitter;
import dev.spawntelemetry.store.WorkingState;
import dev.spawntelemetry.telemetry.HistoryProperties;
import dev.spawntelemetry.telemetry.Limits;
import dev.spawntelemetry.telemetry.SpawnRecord;
import dev.spawntelemetry.telemetry.StorageUnavailableException;
import dev.spawntelemetry.telemetry.TelemetrySnapshot;

/**
 * The embedded store over its data directory, as the single writer commits to it: a batch
 * is applied to the working state kept from batch to batch (rebuilt from the published
 * snapshot after a failure), appended to the journal, and the whole state checkpointed
 * into the file now and then; the package's documentation draws the files and their life
 * cycle.
 */
final class JsonFileStore implements StateCommitter, AutoCloseable {

	private static final Log logger = LogFactory.getLog(JsonFileStore.class);

	static final String JOURNAL = "telemetry.journal";

	static final String SEALED_JOURNAL = JOURNAL + ".sealed";

	private final Path directory;

	private final CheckpointFile file;

	private final Clock clock;

	/** For the journal's lines, on the writer's thread. */
	private final FileFormat format = new FileFormat();

	private final DataDirectory dataDirectory;

	private final Journal journal;

	/** The journal a checkpoint in progress holds, sealed so that no batch joins it. */
	private final Journal sealed;

	private final long checkpointAfter;

	private final int maxDecisions;

	private final Limits limits;

	private final HistoryProperties history;

	/** The working state after the last committed batch; none after a failure. */
	private @Nullable WorkingState state;

	/** The time buckets of the last state made durable. */
	private volatile TimeBuckets buckets = TimeBuckets.EMPTY;

	/** The last batch in the journal or in the file. */
	private long journalSeq;

	/** Spawns that left the log, kept for their retention. */
	private final RetainedSpawns retained;

	/** The last state made durable, for the checkpoint of a clean stop. */
	private @Nullable TelemetrySnapshot lastPersisted;

	/** What recovery had to cut or set aside, by name, for health. */
	private volatile Map<String, String> recoveryFindings = Map.of();

	/**
	 * The id of this data directory, written into the checkpoint and every batch of the
	 * journal, so that recovery never applies another directory's journal.
	 */
	private String storeId = UUID.randomUUID().toString();

	/**
	 * Whether the state must be made durable by a checkpoint before any batch joins the
	 * journal: recovery set a journal aside or found one sealed, and the checkpoint it
	 * made at start failed. The writer's thread's only.
	 */
	private boolean checkpointOwed;

	/** Why the last checkpoint failed, and when; null once one succeeded. */
	private volatile @Nullable String checkpointFailure;

	JsonFileStore(FileStorageProperties properties, int maxDecisions, Limits limits, HistoryProperties history,
			Clock clock) {
		this.limits = limits;
		this.history = history;
		this.directory = properties.dir().toAbsolutePath().normalize();
		this.file = new CheckpointFile(this.directory.resolve(properties.file().getFileName()), properties.fsync());
		this.clock = clock;
		this.maxDecisions = maxDecisions;
		this.checkpointAfter = properties.checkpointAfter().toBytes();
		this.retained = new RetainedSpawns(this.directory, properties.fsync(), properties.retention(),
				properties.maxRetained(), clock);
		this.journal = new Journal(this.directory.resolve(JOURNAL), properties.fsync());
		this.sealed = new Journal(this.directory.resolve(SEALED_JOURNAL), properties.fsync());
		this.dataDirectory = DataDirectory.open(this.directory, properties.fsync(), clock);
	}

	Path file() {
		return this.file.path();
	}

	Path directory() {
		return this.directory;
	}

	/**
	 * Files this store moved aside, or found moved aside, because they could not be read.
	 */
	List<Path> quarantined() {
		return this.dataDirectory.quarantined();
	}

	/** What recovery had to cut off or set aside, by name; empty if nothing. */
	Map<String, String> recoveryFindings() {
		return this.recoveryFindings;
	}

	/** Why the last checkpoint failed, and when; null if it succeeded. */
	@Nullable String checkpointFailure() {
		return this.checkpointFailure;
	}

	/**
	 * Whether writes wait for a checkpoint that failed at start: until one succeeds (at
	 * the next write, or when the writer is idle) no write can be made durable.
	 */
	boolean checkpointOwed() {
		return this.checkpointOwed && this.checkpointFailure != null;
	}

	/** The time buckets of the last state made durable. */
	TimeBuckets buckets() {
		return this.buckets;
	}

	@Override
	public TelemetrySnapshot load() {
		FileRecovery.Recovered recovered = new FileRecovery(this.file, this.journal, this.sealed, this.retained,
				this.dataDirectory, new FileFormatReader(), this.maxDecisions, this.history, this.clock)
			.recover();
		TelemetrySnapshot state = recovered.state();
		this.journalSeq = recovered.seq();
		this.buckets = recovered.buckets();
		this.recoveryFindings = Map.copyOf(recovered.findings());
		if (recovered.storeId() != null) {
			this.storeId = recovered.storeId();
		}
		this.lastPersisted = state;
		if (recovered.checkpointNow()) {
			this.checkpointOwed = true;
			try {
				checkpoint(state, this.buckets);
			}
			catch (StorageUnavailableException ex) {
				logger.error("Cannot make the recovered state durable (" + ex.getMessage() + "); writes are refused "
						+ "until a checkpoint succeeds, tried again at each write and each idle second");
			}
		}
		logger.info("Loaded " + this.file.path() + " and its journal: " + state.totalSpawns() + " spawns over "
				+ state.models().size() + " models, " + state.decisions().size() + " decisions in the log");
		// versions start from the start time, so that no state of this run has the
		// version of one of an earlier run (a persist is far slower than a microsecond)
		return state.withVersion(Math.multiplyExact(this.clock.millis(), 1000L));
	}

	@Override
	public TelemetrySnapshot commit(TelemetrySnapshot published, Consumer<WorkingState> batch) {
		WorkingState working = (this.state != null) ? this.state : new WorkingState(published, this.maxDecisions,
				this.limits, this.history, this.clock, this::retainedSpawn);
		this.state = null;
		batch.accept(working);
		TelemetrySnapshot next = published;
		if (working.hasChanges()) {
			ChangeSet changes = working.changes();
			next = working.toSnapshot(published.version() + 1);
			persist(next, changes);
		}
		this.state = working;
		return next;
	}

	/**
	 * Makes a batch durable by appending it to the journal; once the journal holds
	 * {@code checkpoint-after} bytes, a checkpoint follows (a failure of which changes no
	 * answer: the batch is in the journal). Only on a directory without the file yet, or
	 * if the journal cannot be appended to any more, is the batch made durable by a
	 * checkpoint instead.
	 */
	void persist(TelemetrySnapshot snapshot, ChangeSet changes) {
		List<SpawnRecord> leaving = changes.leftTheLog();
		TimeBuckets before = this.buckets;
		TimeBuckets after = before.plus(changes.addedInTime()).keptAt(this.clock.instant(), this.history);
		if (this.journal.broken() || this.checkpointOwed || !this.file.exists()) {
			// the first persist on a directory writes the file: a build that knows no
			// journal then finds a file of a version it refuses, rather than start empty
			// beside it
			this.retained.left(leaving);
			checkpoint(snapshot, after);
			return;
		}
		byte[] batch = this.format.writeBatch(this.journalSeq + 1, this.storeId, snapshot.lastUpdated(), changes,
				after.valuesOf(changes.addedInTime().keySet()));
		try {
			this.journal.append(List.of(batch));
		}
		catch (IOException ex) {
			throw new StorageUnavailableException("Cannot write " + this.journal.file() + ", the journal of "
					+ this.file.path() + ": " + ex.getMessage(), ex);
		}
		this.journalSeq++;
		this.lastPersisted = snapshot;
		this.buckets = after;
		this.retained.left(leaving);
		if (this.journal.size() >= Math.max(this.checkpointAfter, this.file.bytes())) {
			checkpointInBackground();
		}
	}

	/** A spawn that left the decision log and is kept for its retention, or null. */
	@Nullable SpawnRecord retainedSpawn(String spawnId) {
		return this.retained.find(spawnId);
	}

	/**
	 * When no batch came for a second, the journal goes into the file: a quiet service
	 * keeps {@code telemetry.json} current for whoever reads it. A checkpoint owed since
	 * the start is tried again here, so that writes are taken again once the disk allows.
	 */
	@Override
	public void idle() {
		if (this.checkpointOwed) {
			try {
				checkpoint(this.lastPersisted, this.buckets);
			}
			catch (StorageUnavailableException ex) {
				logger.debug("The checkpoint owed since the start failed again", ex);
			}
		}
		else if (this.journal.size() > 0) {
			checkpointInBackground();
		}
	}

	/**
	 * Starts a checkpoint of what is durable already, unless one is running: the journal
	 * is sealed for it, so that the writer appends to a new one meanwhile, and deleted
	 * once the checkpoint is durable. A failure is only logged: the sealed journal stays,
	 * to be held by the next checkpoint.
	 */
	private void checkpointInBackground() {
		TelemetrySnapshot snapshot = this.lastPersisted;
		if (snapshot == null || this.file.replacing()) {
			return;
		}
		try {
			// the spawns that left the log are in the journal only: into their own
			// file first
			this.retained.beforeCheckpoint();
			if (Files.notExists(this.sealed.file())) {
				this.journal.sealTo(this.sealed.file());
			}
		}
		catch (IOException | UncheckedIOException ex) {
			checkpointFailed(ex);
			logger.warn("No checkpoint for now (" + ex.getMessage() + "); the journal holds every batch");
			return;
		}
		this.file.replaceInBackground(snapshot, this.journalSeq, this.buckets, this.storeId, () -> {
			this.checkpointFailure = null;
			Files.deleteIfExists(this.sealed.file());
			this.sealed.fsyncDirectory();
		}, (ex) -> {
			checkpointFailed(ex);
			logger.warn("No checkpoint for now (" + ex.getMessage() + "); the journals hold every batch");
		});
	}

	private void checkpointFailed(Exception failure) {
		this.checkpointFailure = this.clock.instant() + ": " + failure.getMessage();
	}

	/**
	 * Replaces the file with the whole state, then empties the journal it now holds. The
	 * spawns that left the log since the last checkpoint are made durable in
	 * {@code telemetry.retained} first, since the journal holding them is emptied.
	 */
	void checkpoint(TelemetrySnapshot snapshot) {
		checkpoint(snapshot, this.buckets);
	}

	void checkpoint(@Nullable TelemetrySnapshot snapshot, TimeBuckets buckets) {
		if (snapshot == null) {
			return;
		}
		this.file.awaitBackground();
		try {
			this.retained.beforeCheckpoint();
			this.file.replace(snapshot, this.journalSeq, buckets, this.storeId);
		}
		catch (IOException | UncheckedIOException ex) {
			checkpointFailed(ex);
			throw new StorageUnavailableException("Cannot write " + this.file.path() + ": " + ex.getMessage(), ex);
		}
		this.checkpointFailure = null;
		this.checkpointOwed = false;
		this.lastPersisted = snapshot;
		this.buckets = buckets;
		try {
			this.journal.reset();
			Files.deleteIfExists(this.sealed.file());
			this.sealed.fsyncDirectory();
		}
		catch (IOException ex) {
			// the file holds everything: the journals' batches are skipped on recovery
			logger.warn("Cannot empty " + this.journal.file() + " after a checkpoint: " + ex.getMessage());
		}
	}

	/** A clean stop leaves the state in the file and the journal empty. */
	@Override
	public void close() throws IOException {
		try {
			this.file.awaitBackground();
			if (this.lastPersisted != null
					&& (this.checkpointOwed || this.journal.size() > 0 || Files.exists(this.sealed.file()))) {
				checkpoint(this.lastPersisted, this.buckets);
			}
		}
		catch (RuntimeException ex) {
			logger.warn("No checkpoint at stop (" + ex.getMessage() + "); the journal holds the last batches");
		}
		finally {
			this.file.close();
			this.dataDirectory.close();
		}
	}

}
