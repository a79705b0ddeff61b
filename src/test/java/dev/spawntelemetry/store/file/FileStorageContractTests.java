package dev.spawntelemetry.store.file;

import org.springframework.util.unit.DataSize;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.io.TempDir;

import dev.spawntelemetry.store.TelemetryWriter;
import dev.spawntelemetry.store.WriterProperties;
import dev.spawntelemetry.telemetry.Limits;
import dev.spawntelemetry.telemetry.TelemetryStorage;
import dev.spawntelemetry.telemetry.TelemetryStorageContract;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The port's contract, against the JSON file on a real file system behind its single
 * writer.
 */
class FileStorageContractTests extends TelemetryStorageContract {

	@TempDir
	Path directory;

	private JsonFileStore store;

	private TelemetryWriter writer;

	private GatedStore gate;

	@Override
	protected TelemetryStorage start(int maxDecisions, Limits limits) {
		this.store = new JsonFileStore(
				new FileStorageProperties(this.directory, true, DataSize.ofMegabytes(4), java.time.Duration.ofDays(30),
						50_000),
				maxDecisions, limits, dev.spawntelemetry.telemetry.HistoryProperties.DEFAULTS, this.clock);
		this.gate = new GatedStore(this.store);
		this.writer = new TelemetryWriter(this.gate, new WriterProperties(10_000, 512, Duration.ofMinutes(1)),
				this.clock, new SimpleMeterRegistry());
		this.writer.start();
		return new FileStorage(this.writer, this.store, dev.spawntelemetry.telemetry.HistoryProperties.DEFAULTS,
				this.clock);
	}

	@Override
	protected AutoCloseable refuseWrites() {
		return TempFileObstacle.in(this.directory);
	}

	@Override
	protected CommitHold holdNextCommit() {
		GatedStore gate = this.gate;
		gate.stall();
		return new CommitHold() {

			@Override
			public void awaitHeld() throws InterruptedException {
				assertThat(gate.stalled.await(1, TimeUnit.MINUTES)).as("a commit reached the gate").isTrue();
			}

			@Override
			public void close() {
				gate.resume();
			}

		};
	}

	@Override
	protected void stop() throws Exception {
		this.writer.stop();
		this.store.close();
	}

}
