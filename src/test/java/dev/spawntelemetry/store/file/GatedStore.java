package dev.spawntelemetry.store.file;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

import dev.spawntelemetry.TestApi;
import dev.spawntelemetry.store.StateCommitter;
import dev.spawntelemetry.store.WorkingState;
import dev.spawntelemetry.telemetry.SpawnRecord;
import dev.spawntelemetry.telemetry.TelemetrySnapshot;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real file store behind a gate a test can close, as a disk that stalls; and, if
 * told, unable to write states of some kind, as a write that cannot be stored.
 */
class GatedStore implements StateCommitter {

	private final StateCommitter delegate;

	private volatile CountDownLatch gate = new CountDownLatch(0);

	private volatile Predicate<SpawnRecord> unwritable = (spawn) -> false;

	private volatile boolean dieOnPersist;

	/** Counts down when a persist first reaches the gate. */
	final CountDownLatch stalled = new CountDownLatch(1);

	GatedStore(StateCommitter delegate) {
		this.delegate = delegate;
	}

	void stall() {
		this.gate = new CountDownLatch(1);
	}

	/**
	 * Closes the gate, sends a spawn and waits until the writer holds it at the gate: a
	 * write taken, whose commit cannot end until {@link #resume}.
	 */
	CompletableFuture<TestApi.Response> stallWith(TestApi api, String spawn) throws InterruptedException {
		stall();
		CompletableFuture<TestApi.Response> taken = api.postAsync("/spawns", spawn);
		assertThat(this.stalled.await(1, TimeUnit.MINUTES)).as("the writer reached the gate").isTrue();
		return taken;
	}

	void resume() {
		this.gate.countDown();
	}

	/** The next persist throws an {@link OutOfMemoryError}, as a heap exhausted would. */
	void dieOnPersist() {
		this.dieOnPersist = true;
	}

	/** A batch that changes spawns of which one matches cannot be stored. */
	void cannotWrite(Predicate<SpawnRecord> states) {
		this.unwritable = states;
	}

	/**
	 * Puts the gate before the application's store: {@code @Import} it into a test that
	 * needs a disk it can stall.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class Installed {

		@Bean
		@Primary
		GatedStore gatedStore(JsonFileStore store) {
			return new GatedStore(store);
		}

	}

	@Override
	public void idle() {
		this.delegate.idle();
	}

	@Override
	public TelemetrySnapshot load() {
		return this.delegate.load();
	}

	@Override
	public TelemetrySnapshot commit(TelemetrySnapshot published, Consumer<WorkingState> batch) {
		this.stalled.countDown();
		try {
			this.gate.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return this.delegate.commit(published, (state) -> {
			batch.accept(state);
			if (this.dieOnPersist) {
				throw new OutOfMemoryError("simulated by the test: Java heap space");
			}
			if (state.changes().spawns().stream().anyMatch(this.unwritable)) {
				throw new IllegalArgumentException("a state this store cannot write");
			}
		});
	}

}
