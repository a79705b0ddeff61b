package dev.spawntelemetry.store.file;

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

import dev.spawntelemetry.store.TelemetryWriter;
import dev.spawntelemetry.store.WriteCommand;
import dev.spawntelemetry.store.WriterProperties;
import dev.spawntelemetry.telemetry.NewSpawn;
import dev.spawntelemetry.telemetry.SpawnChange;
import dev.spawntelemetry.telemetry.SpawnRecord;
import dev.spawntelemetry.telemetry.StorageUnavailableException;
import dev.spawntelemetry.telemetry.Limits;
import dev.spawntelemetry.problem.Refusal;
import dev.spawntelemetry.problem.ProblemType;

import dev.spawntelemetry.telemetry.WriteNotAcceptedException;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class TelemetryWriterTests {

	@TempDir
	Path dir;

	JsonFileStore store;

	TelemetryWriter writer;

	SimpleMeterRegistry meters = new SimpleMeterRegistry();

	@BeforeEach
	void start() {
		this.store = new JsonFileStore(
				new FileStorageProperties(this.dir, true, DataSize.ofMegabytes(4), java.time.Duration.ofDays(30),
						50_000),
				1000, new Limits(1000, 200), dev.spawntelemetry.telemetry.HistoryProperties.DEFAULTS,
				Clock.systemUTC());
		this.writer = new TelemetryWriter(this.store, new WriterProperties(10_000, 512, Duration.ofSeconds(5)),
				Clock.systemUTC(), this.meters);
		this.writer.start();
	}

	@AfterEach
	void stop() throws IOException {
		this.writer.stop();
		this.store.close();
	}

	@Test
	void publishesAWriteOnlyOnceItIsOnDisk() {
		SpawnRecord spawn = this.writer.submit("a", add("a")).join().spawn();

		assertThat(this.writer.snapshot().find("a")).contains(spawn);
		assertThat(this.store.load().decisions()).containsExactly(spawn);
	}

	@Test
	void commitsTheOtherWritesOfABatchWhenOneIsRejected() {
		List<CompletableFuture<?>> answers = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			answers.add(this.writer.submit("s" + i, add("s" + i)));
			answers.add(this.writer.submit("rejected", (state) -> {
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
		this.writer.submit("kept", add("kept")).join();
		try (TempFileObstacle obstacle = TempFileObstacle.in(this.dir)) {
			CompletableFuture<?> failed = this.writer.submit("lost", add("lost"));

			assertThatExceptionOfType(CompletionException.class).isThrownBy(failed::join)
				.withCauseInstanceOf(StorageUnavailableException.class);
			assertThat(this.writer.snapshot().find("lost")).isEmpty();
			assertThat(this.writer.lastPersistFailure()).isNotNull();
			assertThat(this.meters.get("spawn.telemetry.writer.persist.failures").counter().count()).isEqualTo(1);
		}
		this.writer.submit("after", add("after")).join();

		assertThat(this.writer.lastPersistFailure()).isNull();
		assertThat(this.store.load().decisions()).extracting(SpawnRecord::spawnId).containsExactly("kept", "after");
	}

	@Test
	void commitsWhatIsQueuedBeforeItStops() {
		List<CompletableFuture<?>> answers = new ArrayList<>();
		for (int i = 0; i < 500; i++) {
			answers.add(this.writer.submit("s" + i, add("s" + i)));
		}

		this.writer.stop();

		assertThat(answers).allSatisfy((answer) -> assertThat(answer).isCompleted().isNotCompletedExceptionally());
		assertThat(this.store.load().totalSpawns()).isEqualTo(500);
		assertThatExceptionOfType(CompletionException.class)
			.isThrownBy(() -> this.writer.submit("late", add("late")).join())
			.withCauseInstanceOf(WriteNotAcceptedException.class);
	}

	private static WriteCommand<SpawnChange> add(String spawnId) {
		NewSpawn spawn = new NewSpawn(spawnId, Instant.parse("2026-01-01T00:00:00Z"), "t", "builder", "m",
				"task-based");
		return (state) -> state.recordSpawn(spawn);
	}

	static class RejectedForTest extends Refusal {

		RejectedForTest() {
			super(ProblemType.CONFLICT, "rejected");
		}

	}

}
