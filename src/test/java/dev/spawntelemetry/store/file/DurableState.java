package dev.spawntelemetry.store.file;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import dev.spawntelemetry.telemetry.TelemetrySnapshot;

/**
 * What the data directory holds durably, as a crash now would leave it and recovery would
 * read it: {@code telemetry.json} with its journal's later batches applied.
 */
final class DurableState {

	private DurableState() {
	}

	/** As the service recovers it with the default max-decisions of 1000. */
	static TelemetrySnapshot of(Path file) {
		return TelemetryFiles.read(file, 1000);
	}

	/** The durable state in the file's format, as one checkpoint would hold it. */
	static String json(Path file) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		new FileFormat().write(of(file), 0, TimeBuckets.EMPTY, null, out);
		return out.toString(StandardCharsets.UTF_8);
	}

}
