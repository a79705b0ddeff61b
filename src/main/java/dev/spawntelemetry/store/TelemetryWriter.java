package dev.spawntelemetry.store;

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
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.telemetry.StorageUnavailableException;
import dev.spawntelemetry.telemetry.TelemetryRefusal;
import dev.spawntelemetry.telemetry.TelemetrySnapshot;
import dev.spawntelemetry.telemetry.WriteNotAcceptedException;

import org.springframework.context.SmartLifecycle;

/**
 * The one thread of a process that changes the telemetry state. It takes a write, drains
 * whatever else is queued (group commit), has the backend apply them all and commit them
 * once, publishes one new snapshot, and only then answers each write. A write answered
 * successfully is durable; a write answered with an error is visible nowhere.
 */
public final class TelemetryWriter implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(TelemetryWriter.class);

	/** How long without a write makes the writer idle. */
	private static final Duration IDLE_AFTER = Duration.ofSeconds(1);

	private final StateCommitter committer;

	private final Clock clock;

	private final WriterProperties properties;

	private final BlockingQueue<PendingWrite<?>> queue;

	private final ScheduledThreadPoolExecutor timeouts;

	private final Thread thread;

	private final WriterMetrics metrics;

	private final AtomicReference<TelemetrySnapshot> published;

	private volatile @Nullable PersistFailure lastPersistFailure;

	/**
	 * The refusal of the last commit that failed for want of storage, and when it failed;
	 * null since a commit succeeded. Only touched by the writer thread.
	 */
	private @Nullable StorageUnavailableException unavailable;

	private long unavailableAtNanos;

	/** The writes the writer thread has taken and not yet answered. */
	private List<PendingWrite<?>> inFlight = List.of();

	private volatile @Nullable Throwable death;

	private volatile Consumer<Throwable> deathListener = (cause) -> {
	};

	private volatile boolean accepting;

	private volatile boolean running;

	public TelemetryWriter(StateCommitter committer, WriterProperties properties, Clock clock, MeterRegistry meters) {
		this.committer = committer;
		this.clock = clock;
		this.properties = properties;
		this.queue = new ArrayBlockingQueue<>(properties.queueCapacity());
		this.published = new AtomicReference<>(committer.load());
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
	public <T> CompletableFuture<T> submit(String description, WriteCommand<T> command) {
		if (this.death != null) {
			return CompletableFuture.failedFuture(new WriteNotAcceptedException(
					"The service cannot take writes: its writer stopped after an internal error and it must be "
							+ "restarted; /actuator/health shows the cause"));
		}
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

	/** The newest committed state this process knows of. Never blocks. */
	public TelemetrySnapshot snapshot() {
		return this.published.get();
	}

	/**
	 * Publishes a state committed elsewhere (by another process on the same storage),
	 * unless a newer one is already published.
	 */
	public void publishIfNewer(TelemetrySnapshot snapshot) {
		this.published.accumulateAndGet(snapshot,
				(current, offered) -> (offered.version() > current.version()) ? offered : current);
	}

	/** Writes waiting for the writer right now. */
	public int queueDepth() {
		return this.queue.size();
	}

	/**
	 * Why the last commit failed for want of storage, or {@code null} if it succeeded.
	 */
	public @Nullable PersistFailure lastPersistFailure() {
		return this.lastPersistFailure;
	}

	/**
	 * Why the writer thread ended before it was stopped, or {@code null} while it runs.
	 * After that no write is taken: the process must be restarted.
	 */
	public @Nullable Throwable death() {
		return this.death;
	}

	/**
	 * Called once, on the dying writer thread, if the writer ends before it is stopped.
	 */
	public void whenDead(Consumer<Throwable> listener) {
		this.deathListener = listener;
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
		if (!rest.isEmpty() && this.death == null) {
			commit(rest);
		}
		logger.info("Telemetry writer stopped; last state committed as version " + snapshot().version());
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

	private void run() {
		try {
			takeAndCommit();
		}
		catch (Throwable ex) {
			die(ex);
		}
	}

	/**
	 * An error no commit could handle (an {@link OutOfMemoryError}, a bug) ended the
	 * writer thread: every write it holds is answered, none is taken any more, and health
	 * says so, so that a supervisor restarts the process rather than keep a replica that
	 * answers reads and can never write.
	 */
	private void die(Throwable cause) {
		this.death = cause;
		this.accepting = false;
		StorageUnavailableException unknown = StorageUnavailableException
			.outcomeUnknown("The writer thread died: " + cause, cause);
		this.inFlight.forEach((pending) -> pending.fail(unknown));
		List<PendingWrite<?>> queued = new ArrayList<>();
		this.queue.drainTo(queued);
		WriteNotAcceptedException notApplied = new WriteNotAcceptedException(
				"The write was not applied: the service's writer stopped after an internal error");
		queued.forEach((pending) -> {
			if (pending.take()) {
				pending.fail(notApplied);
			}
		});
		try {
			logger.fatal("The telemetry writer died; this process takes no more writes and must be restarted", cause);
			this.deathListener.accept(cause);
		}
		catch (Throwable ignored) {
			// nothing more can be done on this thread
		}
	}

	private void takeAndCommit() {
		List<PendingWrite<?>> batch = new ArrayList<>(this.properties.maxBatch());
		long lastCommit = System.nanoTime();
		boolean idled = true;
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
				if (!idled && System.nanoTime() - lastCommit > IDLE_AFTER.toNanos()) {
					idled = true;
					idle();
				}
				continue;
			}
			batch.add(first);
			this.queue.drainTo(batch, this.properties.maxBatch() - 1);
			commit(batch);
			batch.clear();
			lastCommit = System.nanoTime();
			idled = false;
		}
	}

	private void idle() {
		try {
			this.committer.idle();
		}
		catch (RuntimeException ex) {
			logger.warn("Housekeeping after the last write failed: " + ex.getMessage());
		}
	}

	private void commit(List<PendingWrite<?>> batch) {
		List<PendingWrite<?>> taken = new ArrayList<>(batch.size());
		for (PendingWrite<?> pending : batch) {
			if (pending.take()) {
				taken.add(pending);
			}
		}
		taken = refuseThoseThatWaitedThroughAFailure(taken);
		if (taken.isEmpty()) {
			return;
		}
		// left set if the commit throws what kills the thread, for the thread to answer
		// them
		this.inFlight = taken;
		commitTaken(taken);
		this.inFlight = List.of();
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

	private void commitTaken(List<PendingWrite<?>> taken) {
		this.metrics.batchTaken(taken.size());
		RuntimeException failure = applyAndPersist(taken);
		if (failure == null) {
			taken.forEach(PendingWrite::answerApplied);
			return;
		}
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
				refuse(List.of(pending), alone);
			}
		}
	}

	/** Applies and commits writes, publishing the new state; or answers why not. */
	private @Nullable RuntimeException applyAndPersist(List<PendingWrite<?>> writes) {
		try {
			TelemetrySnapshot next = this.metrics.persisted(() -> this.committer.commit(snapshot(), (state) -> {
				for (PendingWrite<?> pending : writes) {
					pending.apply(state);
				}
			}));
			publishIfNewer(next);
			this.lastPersistFailure = null;
			this.unavailable = null;
			return null;
		}
		catch (RuntimeException ex) {
			return ex;
		}
	}

	private void refuse(List<PendingWrite<?>> writes, RuntimeException failure) {
		if (failure instanceof StorageUnavailableException unavailable) {
			this.unavailable = unavailable;
			this.unavailableAtNanos = System.nanoTime();
			this.lastPersistFailure = new PersistFailure(unavailable.storageCause(), this.clock.instant());
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
	 * Why and when a commit failed for want of storage.
	 */
	public record PersistFailure(String message, Instant at) {

	}

}
