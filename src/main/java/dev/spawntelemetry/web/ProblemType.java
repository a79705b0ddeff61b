package dev.spawntelemetry.web;

import java.net.URI;

/**
 * The stable {@code type} URIs of the problems this service answers with; clients may
 * branch on them.
 */
enum ProblemType {

	INVALID_REQUEST("invalid-request", "Invalid request"), NOT_FOUND("not-found", "Not found"),
	CONFLICT("conflict", "Conflict with what is recorded"), LIMIT_EXCEEDED("limit-exceeded", "Limit exceeded"),
	PAYLOAD_TOO_LARGE("payload-too-large", "Request body too large"), OVERLOADED("overloaded", "Write not accepted"),
	STORAGE_UNAVAILABLE("storage-unavailable", "Storage unavailable"),
	INTERNAL_ERROR("internal-error", "Internal error");

	static final String PREFIX = "urn:spawn-telemetry:problem:";

	private final URI uri;

	private final String title;

	ProblemType(String slug, String title) {
		this.uri = URI.create(PREFIX + slug);
		this.title = title;
	}

	URI uri() {
		return this.uri;
	}

	String title() {
		return this.title;
	}

}
