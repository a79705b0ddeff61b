package dev.spawntelemetry.store.file;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a second start on the same data directory into a short, actionable message
 * instead of a stack trace.
 */
class DataDirectoryInUseFailureAnalyzer extends AbstractFailureAnalyzer<DataDirectoryInUseException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, DataDirectoryInUseException cause) {
		return new FailureAnalysis(
				"The data directory " + cause.directory() + " is in use: another spawn-telemetry instance holds "
						+ cause.directory().resolve(DataDirectoryLock.LOCK_FILE) + ".",
				"Stop the other instance, or give this one its own directory with telemetry.storage.dir "
						+ "(environment variable TELEMETRY_STORAGE_DIR).",
				cause);
	}

}
