package dev.spawntelemetry.store;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.store.TelemetryWriter.PersistFailure;
import dev.spawntelemetry.telemetry.StorageUnavailableException;
import dev.spawntelemetry.telemetry.TelemetrySnapshot;

/**
 * The commit of the writes the writer took at once: applied together and committed once,
 * the new state published, and only then each write answered. A batch that fails for a
 * reason other than the storage is committed again write by write, so that only a write
 * that cannot be stored is refused; writes that waited through a storage failure are
 * refused with it. Used by the writer's thread alone.
 */
final class GroupCommit {

	private static final Log logger = LogFactory.getLog(GroupCommit.class);

	private final StateCommitter committer;

	private final PublishedSnapshot published;

	private final WriterMetrics metrics;

	private final Clock clock;

	private volatile @Nullable PersistFailure lastPersistFailure;

	/**
	 * The refusal of the last commit that failed for want of storage, and when it failed;
	 * null since a commit succeeded.
	 */
	private @Nullable StorageUnavailableException unavailable;

	private long unavailableAtNanos;

	GroupCommit(StateCommitter committer, PublishedSnapshot published, WriterMetrics metrics, Clock clock) {
		this.committer = committer;
		this.published = published;
		this.metrics = metrics;
		this.clock = clock;
	}

	/** Why the last commit failed for want of storage, or null if it succeeded. */
	@Nullable PersistFailure lastPersistFailure() {
		return this.lastPersistFailure;
	}

	/** Commits writes taken from the queue and answers each. */
	void commit(List<PendingWrite<?>> taken) {
		List<PendingWrite<?>> fresh = refuseThoseThatWaitedThroughAFailure(taken);
		if (fresh.isEmpty()) {
			return;
		}
		this.metrics.batchTaken(fresh.size());
		RuntimeException failure = applyAndPersist(fresh);
		if (failure == null) {
			fresh.forEach(PendingWrite::answerApplied);
			return;
		}
		if (failure instanceof StorageUnavailableException || fresh.size() == 1) {
			refuse(fresh, failure);
			return;
		}
		// Not the disk: one write of the batch may be one that cannot be stored. Each is
		// committed on its own, so that only such a write is refused.
		logger.warn("A batch of " + fresh.size() + " writes could not be committed (" + failure
				+ "); committing each on its own");
		for (PendingWrite<?> pending : fresh) {
			RuntimeException alone = applyAndPersist(List.of(pending));
			if (alone == null) {
				pending.answerApplied();
			}
			else {
				refuse(List.of(pending), alone);
			}
		}
	}

	/**
	 * Writes queued while a commit failed for want of storage are refused with it,
	 * without waiting for the storage once more: so that, while the storage is away,
	 * every write is answered within one attempt's time, not after the attempts queued
	 * before it.
	 * @return the writes to commit
	 */
	private List<PendingWrite<?>> refuseThoseThatWaitedThroughAFailure(List<PendingWrite<?>> taken) {
		StorageUnavailableException failure = this.unavailable;
		if (failure == null) {
			return taken;
		}
		List<PendingWrite<?>> fresh = new ArrayList<>(taken.size());
		for (PendingWrite<?> pending : taken) {
			if (pending.submittedNanos() - this.unavailableAtNanos < 0) {
				pending.fail(failure);
			}
			else {
				fresh.add(pending);
			}
		}
		return fresh;
	}

	/** Applies and commits writes, publishing the new state; or answers why not. */
	private @Nullable RuntimeException applyAndPersist(List<PendingWrite<?>> writes) {
		try {
			TelemetrySnapshot next = this.metrics
				.persisted(() -> this.committer.commit(this.published.get(), (state) -> {
					for (PendingWrite<?> pending : writes) {
						pending.apply(state);
					}
				}));
			this.published.offer(next);
			this.lastPersistFailure = null;
			this.unavailable = null;
			return null;
		}
		catch (RuntimeException ex) {
			return ex;
		}
	}

	private void refuse(List<PendingWrite<?>> writes, RuntimeException failure) {
		if (failure instanceof StorageUnavailableException storageUnavailable) {
			this.unavailable = storageUnavailable;
			this.unavailableAtNanos = System.nanoTime();
			this.lastPersistFailure = new PersistFailure(storageUnavailable.storageCause(), this.clock.instant());
			this.metrics.persistFailed();
			logger.error("Persist failed; " + writes.size() + " writes answered as failed and rolled back", failure);
		}
		else {
			logger.error("A write could not be stored and was refused: " + writes.get(0).describe(), failure);
		}
		for (PendingWrite<?> pending : writes) {
			pending.fail(failure);
		}
	}

}
