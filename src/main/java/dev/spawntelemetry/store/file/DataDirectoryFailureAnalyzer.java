package dev.spawntelemetry.store.file;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Turns a start the data directory refuses into a short, actionable message instead of a
 * stack trace: a directory another instance holds, or a file a newer build wrote.
 */
class DataDirectoryFailureAnalyzer implements FailureAnalyzer {

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof DataDirectoryInUseException inUse) {
				return new FailureAnalysis(
						"The data directory " + inUse.directory() + " is in use: another spawn-telemetry instance "
								+ "holds " + inUse.directory().resolve(DataDirectoryLock.LOCK_FILE) + ".",
						"Stop the other instance, or give this one its own directory with telemetry.storage.dir "
								+ "(environment variable TELEMETRY_STORAGE_DIR).",
						inUse);
			}
			if (cause instanceof TelemetryFileTooNewException tooNew) {
				return new FailureAnalysis("The telemetry file " + tooNew.file() + " has format version "
						+ tooNew.fileVersion() + ", newer than the version " + FileFormat.VERSION
						+ " this build of spawn-telemetry understands. It was left untouched: rewriting it would drop "
						+ "what this build does not know.",
						"Run the newer build of spawn-telemetry that wrote the file, or point this one at another "
								+ "directory with telemetry.storage.dir (environment variable TELEMETRY_STORAGE_DIR).",
						tooNew);
			}
		}
		return null;
	}

}
