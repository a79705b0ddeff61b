package dev.spawntelemetry.otlp;

import com.google.rpc.Code;

import org.springframework.http.HttpStatus;

/**
 * An export refused as a whole before anything of it was recorded, answered with its
 * status and a {@code google.rpc.Status} of its code.
 */
final class RefusedExportException extends RuntimeException {

	private final HttpStatus status;

	private final Code code;

	private RefusedExportException(HttpStatus status, Code code, String message) {
		super(message + " Nothing was recorded.");
		this.status = status;
		this.code = code;
	}

	/** Not an export request at all. */
	static RefusedExportException notAnExport(String why) {
		return new RefusedExportException(HttpStatus.BAD_REQUEST, Code.INVALID_ARGUMENT, why);
	}

	/** Beyond one of the bounds of an export. */
	static RefusedExportException tooLarge(String why) {
		return new RefusedExportException(HttpStatus.CONTENT_TOO_LARGE, Code.RESOURCE_EXHAUSTED, why);
	}

	/** Of a media type or a coding this receiver does not read. */
	static RefusedExportException unsupported(String why) {
		return new RefusedExportException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, Code.INVALID_ARGUMENT, why);
	}

	HttpStatus status() {
		return this.status;
	}

	Code code() {
		return this.code;
	}

}
