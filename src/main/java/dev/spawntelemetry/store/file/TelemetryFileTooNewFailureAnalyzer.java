package dev.spawntelemetry.store.file;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a start on a file written by a newer build into a short, actionable message
 * instead of a stack trace.
 */
class TelemetryFileTooNewFailureAnalyzer extends AbstractFailureAnalyzer<TelemetryFileTooNewException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, TelemetryFileTooNewException cause) {
		return new FailureAnalysis(
				"The telemetry file " + cause.file() + " has format version " + cause.fileVersion()
						+ ", newer than the version " + FileFormat.VERSION + " this build of spawn-telemetry "
						+ "understands. It was left untouched: rewriting it would drop what this build does not know.",
				"Run the newer build of spawn-telemetry that wrote the file, or point this one at another directory "
						+ "with telemetry.storage.dir (environment variable TELEMETRY_STORAGE_DIR).",
				cause);
	}

}
