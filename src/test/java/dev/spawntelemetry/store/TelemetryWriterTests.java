package dev.spawntelemetry.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class TelemetryWriterTests {

	@TempDir
	Path dir;

	JsonFileTelemetryStore store;

	TelemetryWriter writer;

	SimpleMeterRegistry meters = new SimpleMeterRegistry();

	@BeforeEach
	void start() {
		this.store = new JsonFileTelemetryStore(new StorageProperties(this.dir, 1000, true), Clock.systemUTC());
		this.writer = new TelemetryWriter(this.store, new StorageProperties(this.dir, 1000, true),
				new WriterProperties(10_000, 512, Duration.ofSeconds(5)), Clock.systemUTC(), this.meters);
		this.writer.start();
	}

	@AfterEach
	void stop() throws IOException {
		this.writer.stop();
		this.store.close();
	}

	@Test
	void publishesAWriteOnlyOnceItIsOnDisk() {
		SpawnRecord spawn = spawn("a");

		this.writer.submit(add(spawn)).join();

		assertThat(this.writer.snapshot().find("a")).contains(spawn);
		assertThat(this.store.load().decisions()).containsExactly(spawn);
	}

	@Test
	void commitsTheOtherWritesOfABatchWhenOneIsRejected() {
		List<CompletableFuture<?>> answers = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			answers.add(this.writer.submit(add(spawn("s" + i))));
			answers.add(this.writer.submit((state) -> {
				throw new RejectedForTest();
			}));
		}

		CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).handle((ok, failure) -> null).join();

		for (int i = 0; i < answers.size(); i++) {
			assertThat(answers.get(i).isCompletedExceptionally()).isEqualTo(i % 2 == 1);
		}
		assertThat(this.store.load().decisions()).hasSize(100);
		assertThat(this.writer.snapshot().totalSpawns()).isEqualTo(100);
		assertThat(this.meters.get("spawn.telemetry.writer.batch.size").summary().totalAmount()).isEqualTo(200);
	}

	@Test
	void answersAFailedPersistWithAnErrorAndRollsBack() throws IOException {
		this.writer.submit(add(spawn("kept"))).join();
		Path obstacle = Files.createDirectories(this.dir.resolve("telemetry.json.tmp"));
		Files.writeString(obstacle.resolve("keep"), "x");

		CompletableFuture<?> failed = this.writer.submit(add(spawn("lost")));

		assertThatExceptionOfType(CompletionException.class).isThrownBy(failed::join)
			.withCauseInstanceOf(StorageException.class);
		assertThat(this.writer.snapshot().find("lost")).isEmpty();
		assertThat(this.writer.lastPersistFailure()).isNotNull();
		assertThat(this.meters.get("spawn.telemetry.writer.persist.failures").counter().count()).isEqualTo(1);

		Files.delete(obstacle.resolve("keep"));
		Files.delete(obstacle);
		this.writer.submit(add(spawn("after"))).join();

		assertThat(this.writer.lastPersistFailure()).isNull();
		assertThat(this.store.load().decisions()).extracting(SpawnRecord::spawnId).containsExactly("kept", "after");
	}

	@Test
	void commitsWhatIsQueuedBeforeItStops() {
		List<CompletableFuture<?>> answers = new ArrayList<>();
		for (int i = 0; i < 500; i++) {
			answers.add(this.writer.submit(add(spawn("s" + i))));
		}

		this.writer.stop();

		assertThat(answers).allSatisfy((answer) -> assertThat(answer).isCompleted().isNotCompletedExceptionally());
		assertThat(this.store.load().totalSpawns()).isEqualTo(500);
		assertThatExceptionOfType(CompletionException.class)
			.isThrownBy(() -> this.writer.submit(add(spawn("late"))).join())
			.withCauseInstanceOf(WriteNotAcceptedException.class);
	}

	private static WriteCommand<Void> add(SpawnRecord spawn) {
		return (state) -> {
			state.add(spawn);
			return null;
		};
	}

	private static SpawnRecord spawn(String id) {
		return new SpawnRecord(id, Instant.parse("2026-01-01T00:00:00Z"), "t", "builder", "m", "task-based", null, null,
				0, ToolUsage.NONE);
	}

	static class RejectedForTest extends CommandRejectedException {

		RejectedForTest() {
			super("rejected");
		}

	}

}
