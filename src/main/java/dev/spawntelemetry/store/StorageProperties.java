package dev.spawntelemetry.store;

import java.nio.file.Path;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where and how the embedded store keeps its file.
 *
 * @param dir the data directory; the file is {@code telemetry.json} in it
 * @param maxDecisions how many decisions the log keeps before the oldest rotate out
 * @param fsync whether every persist is forced to the disk, file and directory
 */
@Validated
@ConfigurationProperties("telemetry.storage")
public record StorageProperties(@DefaultValue("./data") Path dir,
		@DefaultValue("1000") @Min(1) @Max(1_000_000) int maxDecisions, @DefaultValue("true") boolean fsync) {

	public Path file() {
		return this.dir.resolve("telemetry.json");
	}

}
