package dev.spawntelemetry.store.file;

/**
 * A telemetry file's content cannot be read as telemetry data.
 */
class CorruptTelemetryFileException extends RuntimeException {

	CorruptTelemetryFileException(String message) {
		super(message);
	}

	CorruptTelemetryFileException(String message, Throwable cause) {
		super(message, cause);
	}

}
