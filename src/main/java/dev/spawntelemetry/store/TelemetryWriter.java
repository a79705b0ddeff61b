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
import java.util.function.Consumer;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.telemetry.StorageUnavailableException;
import dev.spawntelemetry.problem.Refusal;
import dev.spawntelemetry.telemetry.TelemetrySnapshot;
import dev.spawntelemetry.telemetry.WriteNotAcceptedException;

import org.springframework.context.SmartLifecycle;

/**
 * The one thread of a process that changes the telemetry state. It takes a write, drains
 * whatever else is queued, and has them committed at once ({@link GroupCommit}): one new
 * snapshot published, and only then each write answered. A write answered successfully is
 * durable; a write answered with an error is visible nowhere. Here: the queue and its
 * bounds (capacity, timeout), the thread's life and what its death means.
 */
public final class TelemetryWriter implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(TelemetryWriter.class);

	/** How long without a write makes the writer idle. */
	private static final Duration IDLE_AFTER = Duration.ofSeconds(1);

	private final StateCommitter committer;

	private final WriterProperties properties;

	private final BlockingQueue<PendingWrite<?>> queue;

	private final ScheduledThreadPoolExecutor timeouts;

	private final Thread thread;

	private final PublishedSnapshot published;

	private final GroupCommit groupCommit;

	/** The writes the writer thread has taken and not yet answered. */
	private List<PendingWrite<?>> inFlight = List.of();

	private volatile @Nullable Throwable death;

	private volatile Consumer<Throwable> deathListener = (cause) -> {
	};

	private volatile boolean accepting;

	private volatile boolean running;

	public TelemetryWriter(StateCommitter committer, WriterProperties properties, Clock clock, MeterRegistry meters) {
		this.committer = committer;
		this.properties = properties;
		this.queue = new ArrayBlockingQueue<>(properties.queueCapacity());
		this.published = new PublishedSnapshot(committer.load());
		this.timeouts = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread timer = new Thread(task, "telemetry-write-timeouts");
			timer.setDaemon(true);
			return timer;
		});
		this.timeouts.setRemoveOnCancelPolicy(true);
		this.thread = new Thread(this::run, "telemetry-writer");
		this.groupCommit = new GroupCommit(committer, this.published, new WriterMetrics(meters, this.queue), clock);
	}

	/**
	 * Queues a write. The answer completes once the write is durable, or exceptionally
	 * with the command's own {@link Refusal}, a {@link WriteNotAcceptedException} (not
	 * applied; safe to retry) or a {@link StorageUnavailableException} (not applied; the
	 * disk failed).
	 * @param description what the write is, for a log line should it fail
	 */
	public <T> CompletableFuture<T> submit(String description, WriteCommand<T> command) {
		if (this.death != null) {
			return CompletableFuture.failedFuture(new WriteNotAcceptedException(
					"The service cannot take writes: its writer stopped after an internal error and it must be "
							+ "restarted; /actuator/health shows the cause"));
		}
		if (!this.accepting) {
			return CompletableFuture.failedFuture(new WriteNotAcceptedException(
					"The service is stopping: this write was not applied. Send it again after Retry-After; "
							+ "the restarted service or another replica will take it."));
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
		this.published.offer(snapshot);
	}

	/**
	 * Why the last commit failed for want of storage, or {@code null} if it succeeded.
	 */
	public @Nullable PersistFailure lastPersistFailure() {
		return this.groupCommit.lastPersistFailure();
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
		long quietSince = System.nanoTime();
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
				if (System.nanoTime() - quietSince > IDLE_AFTER.toNanos()) {
					idle();
					quietSince = System.nanoTime();
				}
				continue;
			}
			batch.add(first);
			this.queue.drainTo(batch, this.properties.maxBatch() - 1);
			commit(batch);
			batch.clear();
			quietSince = System.nanoTime();
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
		// left set if the commit throws what kills the thread, for the thread to
		// answer them
		this.inFlight = taken;
		this.groupCommit.commit(taken);
		this.inFlight = List.of();
	}

	/**
	 * Why and when a commit failed for want of storage.
	 */
	public record PersistFailure(String message, Instant at) {

	}

}
