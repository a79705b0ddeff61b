package dev.spawntelemetry.store.file;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.telemetry.CasteStats;
import dev.spawntelemetry.telemetry.HistoryProperties;
import dev.spawntelemetry.telemetry.ModelStats;
import dev.spawntelemetry.telemetry.SpawnRecord;
import dev.spawntelemetry.telemetry.StorageUnavailableException;
import dev.spawntelemetry.telemetry.TelemetrySnapshot;
import dev.spawntelemetry.telemetry.TimeCell;

/**
 * The embedded store: a checkpoint of the whole state in one JSON file, and beside it a
 * journal of the batches committed since. A persist appends what its batch changed to the
 * journal and forces it to the disk (fdatasync): it costs what the batch changed, not
 * what the state holds. Once the journal holds {@code checkpoint-after} bytes (or, once
 * the file is larger, as many bytes as the file, so that checkpoints never cost more than
 * the batches they hold), or after a second without batches, a checkpoint replaces the
 * file with the whole state, atomically and durably (write a temp file, fsync it, move it
 * over the old one, fsync the directory), in the background: the journal is first sealed
 * (moved to {@code telemetry.journal.sealed}), the writer goes on appending to a new one,
 * and the sealed one is deleted once the checkpoint that holds it is durable. A clean
 * stop leaves the whole state in the file. Recovery reads the file and applies the later
 * batches of the sealed journal and the journal; a crash at any moment leaves either the
 * old state or the new one of every batch.
 */
final class JsonFileStore implements StateStore, AutoCloseable {

	private static final Log logger = LogFactory.getLog(JsonFileStore.class);

	private static final String CORRUPT_SUFFIX = ".corrupt-";

	static final String JOURNAL = "telemetry.journal";

	static final String SEALED_JOURNAL = JOURNAL + ".sealed";

	private static final DateTimeFormatter QUARANTINE_STAMP = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss.SSS'Z'")
		.withZone(ZoneOffset.UTC);

	private final Path directory;

	private final Path file;

	private final Path tempFile;

	private final boolean fsync;

	private final Clock clock;

	/** For the journal's lines, on the writer's thread. */
	private final FileFormat format = new FileFormat();

	/** For checkpoints, one at a time, on the writer's thread or in the background. */
	private final FileFormat checkpointFormat = new FileFormat();

	private final ExecutorService checkpointer = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "telemetry-checkpoint");
		thread.setDaemon(true);
		return thread;
	});

	/** The checkpoint running in the background, if any; the writer's thread's only. */
	private @Nullable Future<?> background;

	private final DataDirectoryLock lock;

	private final List<Path> quarantined = new CopyOnWriteArrayList<>();

	private final Journal journal;

	/** The journal a checkpoint in progress holds, sealed so that no batch joins it. */
	private final Journal sealed;

	private final long checkpointAfter;

	private final int maxDecisions;

	private final HistoryProperties history;

	/** The time buckets of the last state made durable. */
	private volatile TimeBuckets buckets = TimeBuckets.EMPTY;

	/** The size of the file after the last checkpoint, or as loaded. */
	private volatile long checkpointBytes;

	/** The last batch in the journal or in the file. */
	private long journalSeq;

	/** Spawns that left the log, kept for their retention. */
	private final RetainedSpawns retained;

	/** The last state made durable, for the checkpoint of a clean stop. */
	private @Nullable TelemetrySnapshot lastPersisted;

	/** What recovery had to cut or set aside, for health; null when nothing. */
	private volatile @Nullable String recoveryNote;

	JsonFileStore(FileStorageProperties properties, int maxDecisions, Clock clock) {
		this(properties, maxDecisions, HistoryProperties.DEFAULTS, clock);
	}

	JsonFileStore(FileStorageProperties properties, int maxDecisions, HistoryProperties history, Clock clock) {
		this.history = history;
		this.directory = properties.dir().toAbsolutePath().normalize();
		this.file = this.directory.resolve(properties.file().getFileName());
		this.tempFile = this.file.resolveSibling(this.file.getFileName() + ".tmp");
		this.fsync = properties.fsync();
		this.clock = clock;
		this.maxDecisions = maxDecisions;
		this.checkpointAfter = properties.checkpointAfter().toBytes();
		this.retained = new RetainedSpawns(this.directory, this.fsync, properties.retention(), properties.maxRetained(),
				clock);
		this.journal = new Journal(this.directory.resolve(JOURNAL), this.fsync);
		this.sealed = new Journal(this.directory.resolve(SEALED_JOURNAL), this.fsync);
		try {
			Files.createDirectories(this.directory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create data directory " + this.directory, ex);
		}
		this.lock = DataDirectoryLock.acquire(this.directory);
		this.quarantined.addAll(findQuarantined());
	}

	Path file() {
		return this.file;
	}

	Path directory() {
		return this.directory;
	}

	/**
	 * Files this store moved aside, or found moved aside, because they could not be read.
	 */
	List<Path> quarantined() {
		return List.copyOf(this.quarantined);
	}

	/** What recovery had to cut off or set aside, or null if nothing. */
	@Nullable String recoveryNote() {
		return this.recoveryNote;
	}

	HistoryProperties history() {
		return this.history;
	}

	Clock clock() {
		return this.clock;
	}

	/** The time buckets of the last state made durable. */
	TimeBuckets buckets() {
		return this.buckets;
	}

	@Override
	public TelemetrySnapshot load() {
		deleteStaleTempFile();
		FileFormat.Checkpoint checkpoint = loadCheckpoint();
		TelemetrySnapshot state;
		if (checkpoint != null) {
			this.recoveryNote = this.retained.load();
			state = recover(checkpoint);
		}
		else {
			state = startAfresh();
		}
		this.lastPersisted = state;
		logger.info("Loaded " + this.file + " and its journal: " + state.totalSpawns() + " spawns over "
				+ state.models().size() + " models, " + state.decisions().size() + " decisions in the log");
		return state;
	}

	/** The file's checkpoint; null if it was unreadable and moved aside. */
	private FileFormat.@Nullable Checkpoint loadCheckpoint() {
		byte[] content;
		try {
			content = Files.readAllBytes(this.file);
		}
		catch (NoSuchFileException ex) {
			logger.info("No telemetry file at " + this.file + " yet");
			return new FileFormat.Checkpoint(TelemetrySnapshot.empty(), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + this.file, ex);
		}
		this.checkpointBytes = content.length;
		try {
			return this.format.readCheckpoint(content);
		}
		catch (TelemetryFileTooNewException ex) {
			throw ex.in(this.file);
		}
		catch (CorruptTelemetryFileException ex) {
			Path aside = quarantine(this.file);
			logger.error("Telemetry file " + this.file + " cannot be read (" + ex.getMessage() + "). It was moved to "
					+ aside + " untouched; starting with empty telemetry. Repair it and put it back while the "
					+ "service is stopped to restore its data.");
			return null;
		}
	}

	/**
	 * After an unreadable checkpoint: its journal's batches apply to it alone, so they go
	 * aside with it.
	 */
	private TelemetrySnapshot startAfresh() {
		for (Path companion : new Path[] { this.journal.file(), this.sealed.file(), this.retained.file() }) {
			if (Files.exists(companion)) {
				Path aside = quarantine(companion);
				logger.error(companion + " belongs to the unreadable file and was moved to " + aside + " untouched");
			}
		}
		this.journalSeq = 0;
		return TelemetrySnapshot.empty();
	}

	/**
	 * The checkpoint with the journal's later batches applied. A torn tail (a batch a
	 * crash cut short, never acknowledged) is cut off; a corrupt middle is set aside,
	 * with the batches before it applied and made durable at once in a checkpoint.
	 */
	private TelemetrySnapshot recover(FileFormat.Checkpoint checkpoint) {
		Journal.Contents contents;
		boolean wasSealed = Files.exists(this.sealed.file());
		try {
			contents = this.journal.read().after(this.sealed.read());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + this.journal.file(), ex);
		}
		JournalReplay replay = JournalReplay.of(checkpoint, contents, this.format, this.maxDecisions);
		this.journalSeq = replay.seq();
		this.retained.left(replay.retained().values());
		this.buckets = ((replay.buckets() != null) ? replay.buckets() : countedAgain(replay.snapshot()))
			.keptAt(this.clock.instant(), this.history);
		TelemetrySnapshot recovered = replay.snapshot();
		String corruption = replay.corruption();
		int applied = replay.applied();
		if (corruption != null) {
			String aside = (wasSealed ? quarantine(this.sealed.file()) + " and " : "")
					+ (Files.exists(this.journal.file()) ? quarantine(this.journal.file()) : "");
			this.recoveryNote = ((this.recoveryNote != null) ? this.recoveryNote + "; " : "") + "the journal holds "
					+ corruption + "; the " + applied + " batches before it were "
					+ "applied, the journal was moved to " + aside;
			logger.error("Journal " + this.journal.file() + ": " + this.recoveryNote
					+ ". The batches after it are not in the state; they are in that file.");
			try {
				checkpoint(recovered, this.buckets);
			}
			catch (StorageUnavailableException ex) {
				throw new UncheckedIOException("Cannot make the recovered state durable: " + ex.storageCause(),
						new IOException(ex));
			}
		}
		else if (contents.badLength() > 0) {
			try {
				this.journal.cutAt(contents.goodLength());
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot cut the torn tail of " + this.journal.file(), ex);
			}
			this.recoveryNote = ((this.recoveryNote != null) ? this.recoveryNote + "; " : "") + "cut a torn tail of "
					+ contents.badLength() + " bytes off the journal (a batch a "
					+ "crash cut short, never acknowledged)";
			logger.warn("Journal " + this.journal.file() + ": " + this.recoveryNote);
		}
		if (corruption == null && wasSealed) {
			// a checkpoint was cut short: this one holds its sealed journal too
			try {
				checkpoint(recovered, this.buckets);
			}
			catch (StorageUnavailableException ex) {
				throw new UncheckedIOException("Cannot make the recovered state durable: " + ex.storageCause(),
						new IOException(ex));
			}
		}
		if (applied > 0) {
			logger.info("Applied " + applied + " batches of " + this.journal.file() + " to " + this.file);
		}
		return recovered;
	}

	/**
	 * The time buckets of a file written before they were kept, counted from the spawns
	 * it still keeps (the log and those retained beyond it); older spawns count in the
	 * lifetime aggregates only.
	 */
	private TimeBuckets countedAgain(TelemetrySnapshot state) {
		Map<TimeCell, CasteStats> cells = new HashMap<>();
		Instant now = this.clock.instant();
		Map<String, SpawnRecord> kept = new LinkedHashMap<>();
		this.retained.all().forEach((spawn) -> kept.put(spawn.spawnId(), spawn));
		state.decisions().forEach((spawn) -> kept.put(spawn.spawnId(), spawn));
		for (SpawnRecord spawn : kept.values()) {
			ModelStats model = state.models().get(spawn.selectedModel());
			if (model != null && model.byCaste().containsKey(spawn.caste())) {
				TimeCell.count(spawn, TimeCell.countOf(spawn), this.history, now,
						(cell, added) -> cells.merge(cell, added, CasteStats::plus));
			}
		}
		logger.info("Counted the time buckets of " + this.file + " from the " + kept.size()
				+ " spawns it keeps: a file written before time buckets were kept");
		return TimeBuckets.EMPTY.with(cells);
	}

	/**
	 * Makes a batch durable by appending it to the journal; once the journal holds
	 * {@code checkpoint-after} bytes, a checkpoint follows (a failure of which changes no
	 * answer: the batch is in the journal). Only on a directory without the file yet, or
	 * if the journal cannot be appended to any more, is the batch made durable by a
	 * checkpoint instead.
	 */
	@Override
	public void persist(TelemetrySnapshot snapshot, BatchChanges changes) {
		List<SpawnRecord> leaving = leavingTheLog(snapshot, changes);
		TimeBuckets before = this.buckets;
		TimeBuckets after = before.plus(changes.addedInTime()).keptAt(this.clock.instant(), this.history);
		if (this.journal.broken() || Files.notExists(this.file)) {
			// the first persist on a directory writes the file: a build that knows no
			// journal then finds a file of a version it refuses, rather than start empty
			// beside it
			this.retained.left(leaving);
			awaitBackground();
			checkpoint(snapshot, after);
			return;
		}
		byte[] batch = this.format.writeBatch(this.journalSeq + 1, snapshot.lastUpdated(), changes,
				after.valuesOf(changes.addedInTime().keySet()));
		try {
			this.journal.append(List.of(batch));
		}
		catch (IOException ex) {
			throw new StorageUnavailableException(
					"Cannot write " + this.journal.file() + ", the journal of " + this.file + ": " + ex.getMessage(),
					ex);
		}
		this.journalSeq++;
		this.lastPersisted = snapshot;
		this.buckets = after;
		this.retained.left(leaving);
		if (this.journal.size() >= Math.max(this.checkpointAfter, this.checkpointBytes)) {
			checkpointInBackground();
		}
	}

	@Override
	public @Nullable SpawnRecord retainedSpawn(String spawnId) {
		return this.retained.find(spawnId);
	}

	/**
	 * The spawns a batch takes out of the log (rotated out, or changed while beyond it),
	 * to be kept beyond it once the batch is durable.
	 */
	private List<SpawnRecord> leavingTheLog(TelemetrySnapshot next, BatchChanges changes) {
		List<SpawnRecord> leaving = new ArrayList<>();
		if (this.lastPersisted != null) {
			for (SpawnRecord spawn : this.lastPersisted.decisions()) {
				if (next.find(spawn.spawnId()).isEmpty()) {
					leaving.add(spawn);
				}
			}
		}
		for (SpawnRecord spawn : changes.spawns()) {
			if (next.find(spawn.spawnId()).isEmpty()) {
				leaving.add(spawn);
			}
		}
		return leaving;
	}

	/**
	 * When no batch came for a second, the journal goes into the file: a quiet service
	 * keeps {@code telemetry.json} current for whoever reads it.
	 */
	@Override
	public void idle() {
		if (this.journal.size() > 0) {
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
		if (this.background != null && !this.background.isDone()) {
			return;
		}
		TelemetrySnapshot snapshot = this.lastPersisted;
		TimeBuckets buckets = this.buckets;
		long seq = this.journalSeq;
		if (snapshot == null) {
			return;
		}
		try {
			// the spawns that left the log are in the journal only: into their own file
			// first
			this.retained.beforeCheckpoint();
			if (Files.notExists(this.sealed.file())) {
				this.journal.sealTo(this.sealed.file());
			}
		}
		catch (IOException | UncheckedIOException ex) {
			logger.warn("No checkpoint for now (" + ex.getMessage() + "); the journal holds every batch");
			return;
		}
		this.background = this.checkpointer.submit(() -> {
			try {
				writeCheckpoint(snapshot, buckets, seq);
				Files.deleteIfExists(this.sealed.file());
				this.sealed.fsyncDirectory();
			}
			catch (IOException | RuntimeException ex) {
				deleteTempFileQuietly();
				logger.warn("No checkpoint for now (" + ex.getMessage() + "); the journals hold every batch");
			}
		});
	}

	/** Waits for a checkpoint running in the background, whether it succeeds or not. */
	private void awaitBackground() {
		Future<?> running = this.background;
		if (running == null) {
			return;
		}
		try {
			running.get();
		}
		catch (ExecutionException ex) {
			logger.debug("The background checkpoint failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
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
		awaitBackground();
		try {
			this.retained.beforeCheckpoint();
			writeCheckpoint(snapshot, buckets, this.journalSeq);
		}
		catch (IOException | UncheckedIOException ex) {
			deleteTempFileQuietly();
			throw new StorageUnavailableException("Cannot write " + this.file + ": " + ex.getMessage(), ex);
		}
		catch (RuntimeException ex) {
			// not the disk's fault (the state could not be written as JSON): the old file
			// stays
			deleteTempFileQuietly();
			throw ex;
		}
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

	/**
	 * Replaces the file with a state holding every batch up to {@code seq}, atomically
	 * and durably.
	 */
	private void writeCheckpoint(TelemetrySnapshot snapshot, TimeBuckets buckets, long seq) throws IOException {
		try (FileChannel channel = FileChannel.open(this.tempFile, StandardOpenOption.CREATE,
				StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
			OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
			this.checkpointFormat.write(snapshot, seq, buckets, out);
			out.flush();
			this.checkpointBytes = channel.size();
			if (this.fsync) {
				channel.force(true);
			}
		}
		Files.move(this.tempFile, this.file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		if (this.fsync) {
			fsyncDirectory();
		}
	}

	/** A clean stop leaves the state in the file and the journal empty. */
	@Override
	public void close() throws IOException {
		try {
			awaitBackground();
			if (this.lastPersisted != null && (this.journal.size() > 0 || Files.exists(this.sealed.file()))) {
				checkpoint(this.lastPersisted, this.buckets);
			}
		}
		catch (RuntimeException ex) {
			logger.warn("No checkpoint at stop (" + ex.getMessage() + "); the journal holds the last batches");
		}
		finally {
			this.checkpointer.shutdownNow();
			this.lock.close();
		}
	}

	private void fsyncDirectory() throws IOException {
		try (FileChannel dir = FileChannel.open(this.directory, StandardOpenOption.READ)) {
			dir.force(true);
		}
	}

	private Path quarantine(Path unreadable) {
		Path aside = unreadable
			.resolveSibling(unreadable.getFileName() + CORRUPT_SUFFIX + QUARANTINE_STAMP.format(this.clock.instant()));
		try {
			// No REPLACE_EXISTING: an earlier quarantined file is never overwritten
			Files.move(unreadable, aside, StandardCopyOption.ATOMIC_MOVE);
			if (this.fsync) {
				fsyncDirectory();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot move unreadable " + unreadable + " aside to " + aside
					+ "; refusing to start rather than overwrite it", ex);
		}
		this.quarantined.add(aside);
		return aside;
	}

	private List<Path> findQuarantined() {
		List<Path> found = new ArrayList<>();
		try (DirectoryStream<Path> files = Files.newDirectoryStream(this.directory,
				"telemetry.*" + CORRUPT_SUFFIX + "*")) {
			files.forEach(found::add);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot list data directory " + this.directory, ex);
		}
		found.sort(null);
		return found;
	}

	private void deleteStaleTempFile() {
		try {
			if (Files.deleteIfExists(this.tempFile)) {
				logger.warn("Deleted " + this.tempFile + ", left by a persist that never completed; " + this.file
						+ " holds the last complete state");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot delete stale temp file " + this.tempFile, ex);
		}
	}

	private void deleteTempFileQuietly() {
		try {
			Files.deleteIfExists(this.tempFile);
		}
		catch (IOException ex) {
			logger.debug("Cannot delete " + this.tempFile, ex);
		}
	}

}
