package dev.spawntelemetry.store.file;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.telemetry.ModelStats;
import dev.spawntelemetry.telemetry.SpawnRecord;
import dev.spawntelemetry.telemetry.TelemetrySnapshot;

/**
 * A checkpoint with the journal's later batches applied, in order, each once.
 *
 * @param snapshot the state recovered
 * @param seq the last batch applied (or the checkpoint's)
 * @param applied how many batches were applied
 * @param corruption why the batches stopped short of the journal's good lines, or null
 * @param foreign whether they stopped at a batch of another data directory's journal
 * @param retained the spawns that left the log in the batches applied
 * @param buckets the time buckets recovered, or null where the checkpoint had none (a
 * file written before they were kept)
 */
record JournalReplay(TelemetrySnapshot snapshot, long seq, int applied, @Nullable String corruption, boolean foreign,
		Map<String, SpawnRecord> retained, @Nullable TimeBuckets buckets) {

	static JournalReplay of(FileFormat.Checkpoint checkpoint, Journal.Contents contents, FileFormat format,
			int maxDecisions) {
		TelemetrySnapshot snapshot = checkpoint.snapshot();
		Map<String, ModelStats> models = new HashMap<>(snapshot.models());
		LinkedHashMap<String, SpawnRecord> log = new LinkedHashMap<>();
		snapshot.decisions().forEach((spawn) -> log.put(spawn.spawnId(), spawn));
		Map<String, SpawnRecord> retained = new LinkedHashMap<>();
		Instant lastUpdated = snapshot.lastUpdated();
		long seq = checkpoint.journalSeq();
		TimeBuckets buckets = checkpoint.buckets();
		int applied = 0;
		String corruption = contents.corruptMiddle() ? "a batch that cannot be read" : null;
		boolean foreign = false;
		for (byte[] record : contents.records()) {
			FileFormat.JournalBatch batch;
			try {
				batch = format.readBatch(record);
			}
			catch (CorruptTelemetryFileException ex) {
				corruption = ex.getMessage();
				break;
			}
			if (checkpoint.storeId() != null && batch.storeId() != null
					&& !checkpoint.storeId().equals(batch.storeId())) {
				corruption = "batch " + batch.seq() + " of another data directory's journal (store " + batch.storeId()
						+ ", this one " + checkpoint.storeId() + ")";
				foreign = true;
				break;
			}
			if (batch.seq() <= checkpoint.journalSeq()) {
				continue; // in the checkpoint already: a crash came before the journal
							// was emptied
			}
			if (batch.seq() != seq + 1) {
				corruption = "batch " + (seq + 1) + " is missing (found " + batch.seq() + ")";
				break;
			}
			batch.changes().applyTo(models, log, maxDecisions, retained);
			if (buckets != null) {
				buckets = buckets.with(batch.timeCells());
			}
			lastUpdated = batch.lastUpdated();
			seq = batch.seq();
			applied++;
		}
		return new JournalReplay(new TelemetrySnapshot(0, lastUpdated, models, log.values()), seq, applied, corruption,
				foreign, retained, buckets);
	}

}
