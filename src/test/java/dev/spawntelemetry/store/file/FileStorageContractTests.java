package dev.spawntelemetry.store.file;

import org.springframework.util.unit.DataSize;

import java.nio.file.Path;
import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.io.TempDir;

import dev.spawntelemetry.store.TelemetryWriter;
import dev.spawntelemetry.store.WriterProperties;
import dev.spawntelemetry.telemetry.Limits;
import dev.spawntelemetry.telemetry.TelemetryStorage;
import dev.spawntelemetry.telemetry.TelemetryStorageContract;

/**
 * The port's contract, against the JSON file on a real file system behind its single
 * writer.
 */
class FileStorageContractTests extends TelemetryStorageContract {

	@TempDir
	Path directory;

	private JsonFileStore store;

	private TelemetryWriter writer;

	@Override
	protected TelemetryStorage start(int maxDecisions, Limits limits) {
		this.store = new JsonFileStore(new FileStorageProperties(this.directory, true, DataSize.ofMegabytes(4),
				java.time.Duration.ofDays(30), 50_000), maxDecisions, this.clock);
		this.writer = new TelemetryWriter(new FileStateCommitter(this.store, maxDecisions, limits, this.clock),
				new WriterProperties(10_000, 512, Duration.ofMinutes(1)), this.clock, new SimpleMeterRegistry());
		this.writer.start();
		return new FileStorage(this.writer, this.store);
	}

	@Override
	protected AutoCloseable refuseWrites() {
		return TempFileObstacle.in(this.directory);
	}

	@Override
	protected void stop() throws Exception {
		this.writer.stop();
		this.store.close();
	}

}
