package dev.spawntelemetry.store.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.telemetry.CasteStats;
import dev.spawntelemetry.telemetry.HistoryProperties;
import dev.spawntelemetry.telemetry.ModelStats;
import dev.spawntelemetry.telemetry.SpawnRecord;
import dev.spawntelemetry.telemetry.TelemetrySnapshot;
import dev.spawntelemetry.telemetry.PropensitySums;
import dev.spawntelemetry.telemetry.TimeCell;

/**
 * What a data directory holds at start: the checkpoint with the later batches of the
 * sealed journal and the journal applied. A torn tail (a batch a crash cut short, never
 * acknowledged) is cut off; a corrupt middle is set aside with the batches after it, the
 * batches before it applied; an unreadable checkpoint is set aside with its journals, and
 * the state starts empty; a journal of another data directory is set aside unapplied.
 * Nothing unreadable is ever overwritten or deleted. What it found is reported by name:
 * {@value #TORN_TAIL}, {@value #CORRUPT_JOURNAL}, {@value #FOREIGN_JOURNAL},
 * {@value #CORRUPT_CHECKPOINT}, {@value #CORRUPT_RETAINED}.
 */
final class FileRecovery {

	private static final Log logger = LogFactory.getLog(FileRecovery.class);

	static final String TORN_TAIL = "tornTail";

	static final String CORRUPT_JOURNAL = "corruptJournal";

	static final String FOREIGN_JOURNAL = "foreignJournal";

	static final String CORRUPT_CHECKPOINT = "corruptCheckpoint";

	static final String CORRUPT_RETAINED = "corruptRetained";

	private final CheckpointFile file;

	private final Journal journal;

	private final Journal sealed;

	private final RetainedSpawns retained;

	private final DataDirectory directory;

	private final FileFormatReader reader;

	private final int maxDecisions;

	private final HistoryProperties history;

	private final Clock clock;

	FileRecovery(CheckpointFile file, Journal journal, Journal sealed, RetainedSpawns retained, DataDirectory directory,
			FileFormatReader reader, int maxDecisions, HistoryProperties history, Clock clock) {
		this.file = file;
		this.journal = journal;
		this.sealed = sealed;
		this.retained = retained;
		this.directory = directory;
		this.reader = reader;
		this.maxDecisions = maxDecisions;
		this.history = history;
		this.clock = clock;
	}

	/**
	 * The state recovered.
	 *
	 * @param state the state
	 * @param seq the last batch it holds
	 * @param buckets its time buckets
	 * @param storeId the data directory's id, as the checkpoint has it, or null
	 * @param findings what recovery had to cut off or set aside, by name, for health
	 * @param checkpointNow whether the state must be made durable in a checkpoint before
	 * any batch follows: a corrupt middle was set aside, or a checkpoint was cut short
	 */
	record Recovered(TelemetrySnapshot state, long seq, TimeBuckets buckets, @Nullable String storeId,
			Map<String, String> findings, boolean checkpointNow) {

	}

	private final Map<String, String> findings = new LinkedHashMap<>();

	Recovered recover() {
		try {
			this.file.deleteStaleTempFile();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot delete a stale temp file beside " + this.file.path(), ex);
		}
		FileFormatReader.Checkpoint checkpoint = readCheckpoint();
		if (checkpoint == null) {
			return startAfresh();
		}
		String retainedNote = this.retained.load(this.directory);
		if (retainedNote != null) {
			this.findings.put(CORRUPT_RETAINED, retainedNote);
			logger.error("Spawns retained beyond the log: " + retainedNote);
		}
		return replay(checkpoint);
	}

	/** The file's checkpoint; null if it was unreadable and moved aside. */
	private FileFormatReader.@Nullable Checkpoint readCheckpoint() {
		byte[] content;
		try {
			content = this.file.read();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + this.file.path(), ex);
		}
		if (content == null) {
			logger.info("No telemetry file at " + this.file.path() + " yet");
			return new FileFormatReader.Checkpoint(TelemetrySnapshot.empty(), 0);
		}
		try {
			return this.reader.readCheckpoint(content);
		}
		catch (FileFormat.TooNewException ex) {
			throw ex.in(this.file.path());
		}
		catch (FileFormat.CorruptFileException ex) {
			Path aside = this.directory.moveAside(this.file.path());
			this.findings.put(CORRUPT_CHECKPOINT, this.file.path() + " cannot be read (" + ex.getMessage()
					+ "); moved to " + aside + " with its journals, and the state started empty");
			logger.error("Telemetry file " + this.file.path() + " cannot be read (" + ex.getMessage()
					+ "). It was moved to " + aside + " untouched; starting with empty telemetry. Repair it and put "
					+ "it back while the service is stopped to restore its data.");
			return null;
		}
	}

	/**
	 * After an unreadable checkpoint: its journal's batches apply to it alone, so they go
	 * aside with it.
	 */
	private Recovered startAfresh() {
		for (Path companion : new Path[] { this.journal.file(), this.sealed.file(), this.retained.file() }) {
			if (Files.exists(companion)) {
				Path aside = this.directory.moveAside(companion);
				logger.error(companion + " belongs to the unreadable file and was moved to " + aside + " untouched");
			}
		}
		return new Recovered(TelemetrySnapshot.empty(), 0, TimeBuckets.EMPTY, null, this.findings, false);
	}

	private Recovered replay(FileFormatReader.Checkpoint checkpoint) {
		Journal.Contents contents;
		boolean wasSealed = Files.exists(this.sealed.file());
		try {
			contents = this.journal.read().after(this.sealed.read());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + this.journal.file(), ex);
		}
		TelemetryFiles.Replay replay = TelemetryFiles.Replay.of(checkpoint, contents, this.reader, this.maxDecisions);
		this.retained.left(replay.retained().values());
		TimeBuckets buckets = ((replay.buckets() != null) ? replay.buckets() : countedAgain(replay.snapshot()))
			.keptAt(this.clock.instant(), this.history);
		boolean sumsCounted = replay.buckets() == null || checkpoint.propensitySumsCounted();
		if (!sumsCounted) {
			buckets = withPropensitySums(buckets, replay.snapshot());
		}
		String corruption = replay.corruption();
		if (corruption != null) {
			String aside = (wasSealed ? this.directory.moveAside(this.sealed.file()) + " and " : "")
					+ (Files.exists(this.journal.file()) ? this.directory.moveAside(this.journal.file()) : "");
			String note = "the journal holds " + corruption + "; the " + replay.applied()
					+ " batches before it were applied, the journal was moved to " + aside;
			this.findings.put(replay.foreign() ? FOREIGN_JOURNAL : CORRUPT_JOURNAL, note);
			logger.error("Journal " + this.journal.file() + ": " + note
					+ ". The batches after it are not in the state; they are in that file.");
		}
		else if (contents.badLength() > 0) {
			try {
				this.journal.cutAt(contents.goodLength());
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot cut the torn tail of " + this.journal.file(), ex);
			}
			String note = "cut a torn tail of " + contents.badLength()
					+ " bytes off the journal (a batch a crash cut short, never acknowledged)";
			this.findings.put(TORN_TAIL, note);
			logger.warn("Journal " + this.journal.file() + ": " + note);
		}
		if (replay.applied() > 0) {
			logger
				.info("Applied " + replay.applied() + " batches of " + this.journal.file() + " to " + this.file.path());
		}
		// a checkpoint cut short leaves a sealed journal: the next one holds it too
		return new Recovered(replay.snapshot(), replay.seq(), buckets, checkpoint.storeId(), this.findings,
				corruption != null || wasSealed || !sumsCounted);
	}

	/**
	 * The time buckets of a file written before they were kept, counted from the spawns
	 * it still keeps (the log and those retained beyond it); older spawns count in the
	 * lifetime aggregates only.
	 */
	private TimeBuckets countedAgain(TelemetrySnapshot state) {
		Map<TimeCell, CasteStats> cells = new HashMap<>();
		Instant now = this.clock.instant();
		Map<String, SpawnRecord> kept = kept(state);
		for (SpawnRecord spawn : kept.values()) {
			ModelStats model = state.models().get(spawn.selectedModel());
			if (model != null && model.byCaste().containsKey(spawn.caste())) {
				TimeCell.count(spawn, TimeCell.countOf(spawn), this.history, now,
						(cell, added) -> cells.merge(cell, added, CasteStats::plus));
			}
		}
		logger.info("Counted the time buckets of " + this.file.path() + " from the " + kept.size()
				+ " spawns it keeps: a file written before time buckets were kept");
		return TimeBuckets.EMPTY.with(cells);
	}

	/**
	 * The time buckets of a file written before they held the propensity sums, with the
	 * sums of the routed spawns it still keeps added; the state is checkpointed at once,
	 * so that they are added once.
	 */
	private TimeBuckets withPropensitySums(TimeBuckets buckets, TelemetrySnapshot state) {
		Map<TimeCell, CasteStats> cells = new HashMap<>();
		Instant now = this.clock.instant();
		for (SpawnRecord spawn : kept(state).values()) {
			Map<String, PropensitySums> sums = PropensitySums.of(spawn);
			if (!sums.isEmpty()) {
				TimeCell.count(spawn, CasteStats.NONE.withPropensitySums(sums), this.history, now, (cell, added) -> {
					if (cell.source() == null) {
						cells.merge(cell, added, CasteStats::plus);
					}
				});
			}
		}
		logger.info("Counted the propensity sums of the routed spawns " + this.file.path()
				+ " keeps into its time buckets: a file written before they were kept");
		return buckets.plus(cells);
	}

	/** The spawns a state keeps: those retained beyond the log, then the log. */
	private Map<String, SpawnRecord> kept(TelemetrySnapshot state) {
		Map<String, SpawnRecord> kept = new LinkedHashMap<>();
		this.retained.all().forEach((spawn) -> kept.put(spawn.spawnId(), spawn));
		state.decisions().forEach((spawn) -> kept.put(spawn.spawnId(), spawn));
		return kept;
	}

}
