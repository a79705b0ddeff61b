package dev.spawntelemetry.store.file;

import java.time.Clock;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.store.ChangeSet;
import dev.spawntelemetry.store.StateCommitter;
import dev.spawntelemetry.store.WorkingState;
import dev.spawntelemetry.telemetry.HistoryProperties;
import dev.spawntelemetry.telemetry.Limits;
import dev.spawntelemetry.telemetry.TelemetrySnapshot;

/**
 * Commits a batch by persisting what it changed to the JSON file's journal. The working
 * state is kept from batch to batch, and rebuilt from the published snapshot after a
 * failure.
 */
final class FileStateCommitter implements StateCommitter {

	private final StateStore store;

	private final int maxDecisions;

	private final Limits limits;

	private final HistoryProperties history;

	private final Clock clock;

	/** The working state after the last committed batch; none after a failure. */
	private @Nullable WorkingState state;

	FileStateCommitter(StateStore store, int maxDecisions, Limits limits, HistoryProperties history, Clock clock) {
		this.history = history;
		this.store = store;
		this.maxDecisions = maxDecisions;
		this.limits = limits;
		this.clock = clock;
	}

	/**
	 * The file's state; its versions start from the start time, so that a state of this
	 * run never has the version of one of an earlier run: a thousand batches a
	 * millisecond is far beyond what a persist allows.
	 */
	@Override
	public TelemetrySnapshot load() {
		return this.store.load().withVersion(Math.multiplyExact(this.clock.millis(), 1000L));
	}

	@Override
	public TelemetrySnapshot commit(TelemetrySnapshot published, Consumer<WorkingState> batch) {
		WorkingState working = (this.state != null) ? this.state : new WorkingState(published, this.maxDecisions,
				this.limits, this.history, this.clock, this.store::retainedSpawn);
		this.state = null;
		batch.accept(working);
		TelemetrySnapshot next = published;
		if (working.hasChanges()) {
			ChangeSet changes = working.changes();
			next = working.toSnapshot(published.version() + 1);
			this.store.persist(next, changes);
		}
		this.state = working;
		return next;
	}

	/** A quiet moment: the journal goes into the file, so that the file is current. */
	@Override
	public void idle() {
		this.store.idle();
	}

}
