package dev.spawntelemetry.store.file;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.telemetry.StorageUnavailableException;
import dev.spawntelemetry.telemetry.TelemetryLimits;
import dev.spawntelemetry.telemetry.TelemetryRefusal;
import dev.spawntelemetry.telemetry.TelemetrySnapshot;
import dev.spawntelemetry.telemetry.WriteNotAcceptedException;

import org.springframework.context.SmartLifecycle;

/**
 * The one thread that changes the telemetry state. It takes a write, drains whatever else
 * is queued (group commit), applies them all, persists once, publishes one new snapshot,
 * and only then answers each write. A write answered successfully is durable; a write
 * answered with an error is visible nowhere.
 */
final class TelemetryWriter implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(TelemetryWriter.class);

	private final TelemetryStore store;

	private final int maxDecisions;

	private final TelemetryLimits limits;

	private final Clock clock;

	private final WriterProperties properties;

	private final BlockingQueue<PendingWrite<?>> queue;

	private final ScheduledThreadPoolExecutor timeouts;

	private final Thread thread;

	private final WriterMetrics metrics;

	private volatile TelemetrySnapshot published;

	private volatile @Nullable PersistFailure lastPersistFailure;

	private volatile boolean accepting;

	private volatile boolean running;

	/** Touched only by the writer thread, once it has started. */
	private TelemetryState state;

	TelemetryWriter(TelemetryStore store, int maxDecisions, TelemetryLimits limits, WriterProperties properties,
			Clock clock, MeterRegistry meters) {
		this.store = store;
		this.maxDecisions = maxDecisions;
		this.limits = limits;
		this.clock = clock;
		this.properties = properties;
		this.queue = new ArrayBlockingQueue<>(properties.queueCapacity());
		this.published = store.load().withVersion(firstVersion(clock));
		this.state = new TelemetryState(this.published, this.maxDecisions, this.limits, clock);
		this.timeouts = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread timer = new Thread(task, "telemetry-write-timeouts");
			timer.setDaemon(true);
			return timer;
		});
		this.timeouts.setRemoveOnCancelPolicy(true);
		this.thread = new Thread(this::run, "telemetry-writer");
		this.metrics = new WriterMetrics(meters, this.queue);
	}

	/**
	 * Queues a write. The answer completes once the write is durable, or exceptionally
	 * with the command's own {@link TelemetryRefusal}, a
	 * {@link WriteNotAcceptedException} (not applied; safe to retry) or a
	 * {@link StorageUnavailableException} (not applied; the disk failed).
	 * @param description what the write is, for a log line should it fail
	 */
	<T> CompletableFuture<T> submit(String description, WriteCommand<T> command) {
		if (!this.accepting) {
			return CompletableFuture
				.failedFuture(new WriteNotAcceptedException("The service is not accepting writes: it is stopping"));
		}
		PendingWrite<T> pending = new PendingWrite<>(description, command);
		if (!this.queue.offer(pending)) {
			return CompletableFuture.failedFuture(new WriteNotAcceptedException(
					"The writer is overloaded: " + this.properties.queueCapacity() + " writes are already waiting"));
		}
		ScheduledFuture<?> timer = this.timeouts.schedule(
				() -> pending.expire(new WriteNotAcceptedException("The write waited longer than "
						+ this.properties.timeout() + " for the writer and was not applied")),
				this.properties.timeout().toNanos(), TimeUnit.NANOSECONDS);
		pending.answer().whenComplete((result, failure) -> timer.cancel(false));
		return pending.answer();
	}

	/** The state as of the last durable batch. Never blocks. */
	TelemetrySnapshot snapshot() {
		return this.published;
	}

	/** Writes waiting for the writer right now. */
	int queueDepth() {
		return this.queue.size();
	}

	/** Why the last persist failed, or {@code null} if it succeeded. */
	@Nullable PersistFailure lastPersistFailure() {
		return this.lastPersistFailure;
	}

	@Override
	public void start() {
		this.running = true;
		this.accepting = true;
		this.thread.start();
	}

	/**
	 * Stops taking writes, then commits everything already queued before returning.
	 */
	@Override
	public void stop() {
		this.accepting = false;
		this.running = false;
		try {
			this.thread.join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.timeouts.shutdownNow();
		// the writer thread has ended: this thread may now commit what raced in after it
		List<PendingWrite<?>> rest = new ArrayList<>();
		this.queue.drainTo(rest);
		if (!rest.isEmpty()) {
			commit(rest);
		}
		logger.info("Telemetry writer stopped; last state persisted as version " + this.published.version());
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** After the web server: in-flight requests still get their writes committed. */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 4096;
	}

	/**
	 * Versions start from the start time, so that a state of this run never has the
	 * version of one of an earlier run: a thousand batches a millisecond is far beyond
	 * what a persist allows.
	 */
	private static long firstVersion(Clock clock) {
		return Math.multiplyExact(clock.millis(), 1000L);
	}

	private void run() {
		List<PendingWrite<?>> batch = new ArrayList<>(this.properties.maxBatch());
		while (true) {
			PendingWrite<?> first;
			try {
				first = this.queue.poll(50, TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			if (first == null) {
				if (!this.running) {
					return;
				}
				continue;
			}
			batch.add(first);
			this.queue.drainTo(batch, this.properties.maxBatch() - 1);
			commit(batch);
			batch.clear();
		}
	}

	private void commit(List<PendingWrite<?>> batch) {
		List<PendingWrite<?>> taken = new ArrayList<>(batch.size());
		for (PendingWrite<?> pending : batch) {
			if (pending.take()) {
				taken.add(pending);
			}
		}
		if (taken.isEmpty()) {
			return;
		}
		this.metrics.batchTaken(taken.size());
		RuntimeException failure = applyAndPersist(taken);
		if (failure == null) {
			taken.forEach(PendingWrite::answerApplied);
			return;
		}
		restorePublishedState();
		if (failure instanceof StorageUnavailableException || taken.size() == 1) {
			refuse(taken, failure);
			return;
		}
		// Not the disk: one write of the batch may be one that cannot be stored. Each is
		// committed on its own, so that only such a write is refused.
		logger.warn("A batch of " + taken.size() + " writes could not be committed (" + failure
				+ "); committing each on its own");
		for (PendingWrite<?> pending : taken) {
			RuntimeException alone = applyAndPersist(List.of(pending));
			if (alone == null) {
				pending.answerApplied();
			}
			else {
				restorePublishedState();
				refuse(List.of(pending), alone);
			}
		}
	}

	/** Applies and persists writes, publishing the new state; or answers why not. */
	private @Nullable RuntimeException applyAndPersist(List<PendingWrite<?>> writes) {
		try {
			for (PendingWrite<?> pending : writes) {
				pending.apply(this.state);
			}
			if (this.state.hasChanges()) {
				TelemetrySnapshot next = this.state.toSnapshot(this.published.version() + 1);
				this.metrics.persisted(() -> this.store.persist(next));
				this.published = next;
				this.lastPersistFailure = null;
			}
			return null;
		}
		catch (RuntimeException ex) {
			return ex;
		}
	}

	private void restorePublishedState() {
		this.state = new TelemetryState(this.published, this.maxDecisions, this.limits, this.clock);
	}

	private void refuse(List<PendingWrite<?>> writes, RuntimeException failure) {
		if (failure instanceof StorageUnavailableException) {
			this.lastPersistFailure = new PersistFailure(((StorageUnavailableException) failure).storageCause(),
					this.clock.instant());
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

	/**
	 * Why and when a persist failed.
	 */
	record PersistFailure(String message, Instant at) {

	}

}
