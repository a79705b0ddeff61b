package dev.spawntelemetry.store.file;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Where and how the embedded store keeps its file. The decision log's length is the
 * domain's ({@code telemetry.storage.max-decisions}).
 *
 * @param dir the data directory; the file is {@code telemetry.json} in it, its journal
 * {@code telemetry.journal}
 * @param fsync whether every persist is forced to the disk, file and directory
 * @param checkpointAfter the journal's size from which the next persist replaces the file
 * with the whole state instead, and empties the journal
 * @param retention how long after its timestamp a spawn that left the decision log is
 * still kept, so that a retry, an outcome or usage for it is recognized
 * @param maxRetained the most spawns kept beyond the log, the oldest to leave it going
 * first: a bound on the heap and the file whatever the traffic within the retention
 */
@Validated
@ConfigurationProperties("telemetry.storage")
public record FileStorageProperties(@DefaultValue("./data") Path dir, @DefaultValue("true") boolean fsync,
		@DefaultValue("4MB") DataSize checkpointAfter, @DefaultValue("30d") Duration retention,
		@DefaultValue("50000") @Min(0) int maxRetained) {

	public Path file() {
		return this.dir.resolve("telemetry.json");
	}

}
