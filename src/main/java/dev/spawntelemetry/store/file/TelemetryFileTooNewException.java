package dev.spawntelemetry.store.file;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

/**
 * The telemetry file was written by a newer version of the service than this build. It
 * may hold fields this build does not know and would drop at its next rewrite, so the
 * service does not start on it and leaves it as it is.
 */
public class TelemetryFileTooNewException extends RuntimeException {

	private final @Nullable Path file;

	private final String fileVersion;

	TelemetryFileTooNewException(String fileVersion) {
		this(null, fileVersion);
	}

	private TelemetryFileTooNewException(@Nullable Path file, String fileVersion) {
		super("Telemetry file " + ((file != null) ? file + " " : "") + "has format version " + fileVersion
				+ "; this build understands up to " + FileFormat.VERSION);
		this.file = file;
		this.fileVersion = fileVersion;
	}

	/** The same refusal, naming the file it came from. */
	TelemetryFileTooNewException in(Path file) {
		return new TelemetryFileTooNewException(file, this.fileVersion);
	}

	public @Nullable Path file() {
		return this.file;
	}

	public String fileVersion() {
		return this.fileVersion;
	}

}
