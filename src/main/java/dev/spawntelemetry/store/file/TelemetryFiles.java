package dev.spawntelemetry.store.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.store.ChangeSet;
import dev.spawntelemetry.store.DecisionLog;
import dev.spawntelemetry.store.TelemetryFileReader;
import dev.spawntelemetry.telemetry.CasteStats;
import dev.spawntelemetry.telemetry.ModelStats;
import dev.spawntelemetry.telemetry.SpawnRecord;
import dev.spawntelemetry.telemetry.TelemetrySnapshot;

import org.springframework.stereotype.Component;

/**
 * Reads a data directory's files without holding it: the checkpoint, ours or the
 * ancestor's, with the later batches of its journals replayed onto it, as recovery does;
 * and, whichever backend runs, for another backend to load a file.
 */
@Component
public final class TelemetryFiles implements TelemetryFileReader {

	/**
	 * The state a file holds, with the batches of its journal ({@code telemetry.journal}
	 * beside it) applied, under version 0.
	 * @throws IllegalArgumentException if the file is not a telemetry file this build can
	 * read, saying why
	 * @throws UncheckedIOException if it cannot be read at all
	 */
	@Override
	public TelemetrySnapshot read(Path file) {
		return read(file, Integer.MAX_VALUE);
	}

	/**
	 * The state a file and its journal hold, as the file backend recovers it: the log cut
	 * to the newest {@code maxDecisions}.
	 */
	static TelemetrySnapshot read(Path file, int maxDecisions) {
		Journal journal = new Journal(file.resolveSibling(JsonFileStore.JOURNAL), false);
		byte[] content;
		try {
			// before its first checkpoint, a data directory holds its journal alone
			content = (Files.notExists(file) && Files.exists(journal.file())) ? null : Files.readAllBytes(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + file, ex);
		}
		try {
			FileFormatReader reader = new FileFormatReader();
			FileFormatReader.Checkpoint checkpoint = (content != null) ? reader.readCheckpoint(content)
					: new FileFormatReader.Checkpoint(TelemetrySnapshot.empty(), 0);
			Journal sealed = new Journal(file.resolveSibling(JsonFileStore.SEALED_JOURNAL), false);
			Replay replay = Replay.of(checkpoint, journal.read().after(sealed.read()), reader, maxDecisions);
			if (replay.corruption() != null) {
				throw new IllegalArgumentException(journal.file() + " beside " + file + " holds " + replay.corruption()
						+ "; start the service on that directory once to set it aside");
			}
			return replay.snapshot();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the journal beside " + file, ex);
		}
		catch (FileFormat.CorruptFileException ex) {
			throw new IllegalArgumentException(file + " is not a telemetry file: " + ex.getMessage(), ex);
		}
		catch (FileFormat.TooNewException ex) {
			throw new IllegalArgumentException(ex.in(file).getMessage(), ex);
		}
	}

	/**
	 * A checkpoint with the journal's later batches applied, in order, each once.
	 *
	 * @param snapshot the state recovered
	 * @param seq the last batch applied (or the checkpoint's)
	 * @param applied how many batches were applied
	 * @param corruption why the batches stopped short of the journal's good lines, or
	 * null
	 * @param foreign whether they stopped at a batch of another data directory's journal
	 * @param retained the spawns that left the log in the batches applied
	 * @param buckets the time buckets recovered, or null where the checkpoint had none (a
	 * file written before they were kept)
	 */
	record Replay(TelemetrySnapshot snapshot, long seq, int applied, @Nullable String corruption, boolean foreign,
			Map<String, SpawnRecord> retained, @Nullable TimeBuckets buckets) {

		static Replay of(FileFormatReader.Checkpoint checkpoint, Journal.Contents contents, FileFormatReader reader,
				int maxDecisions) {
			TelemetrySnapshot snapshot = checkpoint.snapshot();
			Map<String, ModelStats> models = new HashMap<>(snapshot.models());
			DecisionLog log = new DecisionLog(maxDecisions, snapshot.decisions());
			Map<String, SpawnRecord> retained = new LinkedHashMap<>();
			Instant lastUpdated = snapshot.lastUpdated();
			long seq = checkpoint.journalSeq();
			TimeBuckets buckets = checkpoint.buckets();
			int applied = 0;
			String corruption = contents.corruptMiddle() ? "a batch that cannot be read" : null;
			boolean foreign = false;
			for (byte[] record : contents.records()) {
				FileFormatReader.JournalBatch batch;
				try {
					batch = reader.readBatch(record);
				}
				catch (FileFormat.CorruptFileException ex) {
					corruption = ex.getMessage();
					break;
				}
				if (checkpoint.storeId() != null && batch.storeId() != null
						&& !checkpoint.storeId().equals(batch.storeId())) {
					corruption = "batch " + batch.seq() + " of another data directory's journal (store "
							+ batch.storeId() + ", this one " + checkpoint.storeId() + ")";
					foreign = true;
					break;
				}
				if (batch.seq() <= checkpoint.journalSeq()) {
					continue; // in the checkpoint already: a crash came before the
								// journal
								// was emptied
				}
				if (batch.seq() != seq + 1) {
					corruption = "batch " + (seq + 1) + " is missing (found " + batch.seq() + ")";
					break;
				}
				apply(batch.changes(), models, log, retained);
				if (buckets != null) {
					buckets = buckets.with(batch.timeCells());
				}
				lastUpdated = batch.lastUpdated();
				seq = batch.seq();
				applied++;
			}
			return new Replay(new TelemetrySnapshot(0, lastUpdated, models, log.spawns()), seq, applied, corruption,
					foreign, retained, buckets);
		}

		/**
		 * Applies a batch to the state being recovered: the aggregates it changed are
		 * set, the spawns it created appended to the log, those it changed replaced where
		 * they are (in the log, or among those kept beyond it), and those that left the
		 * log kept beyond it.
		 */
		private static void apply(ChangeSet changes, Map<String, ModelStats> models, DecisionLog log,
				Map<String, SpawnRecord> retained) {
			changes.models().forEach((name, changed) -> {
				Map<String, CasteStats> byCaste = new TreeMap<>(models.getOrDefault(name, ModelStats.NONE).byCaste());
				byCaste.putAll(changed.byCaste());
				models.put(name, new ModelStats(changed.totalSpawns(), changed.completed(), changed.failed(),
						changed.blocked(), byCaste));
			});
			// in the batch's order: a spawn pushed out of the log and changed later in
			// the
			// same
			// batch is kept beyond it as it was changed
			for (SpawnRecord spawn : changes.spawns()) {
				if (changes.created().contains(spawn.spawnId())) {
					log.append(spawn).forEach((left) -> retained.put(left.spawnId(), left));
				}
				else if (!log.replace(spawn)) {
					retained.put(spawn.spawnId(), spawn);
				}
			}
			log.trim().forEach((left) -> retained.put(left.spawnId(), left));
		}

	}

}
