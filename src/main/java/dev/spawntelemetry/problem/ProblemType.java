package dev.spawntelemetry.problem;

import java.net.URI;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * The stable {@code type} URIs of the problems this service answers with, defined once
 * here; clients may branch on them.
 */
public enum ProblemType {

	INVALID_REQUEST("invalid-request", "Invalid request", 400), NOT_FOUND("not-found", "Not found", 404),
	CONFLICT("conflict", "Conflict with what is recorded", 409),
	LIMIT_EXCEEDED("limit-exceeded", "Limit exceeded", 422),
	PAYLOAD_TOO_LARGE("payload-too-large", "Request body too large", 413),
	REQUEST_TIMEOUT("request-timeout", "Request not received in time", 408),
	OVERLOADED("overloaded", "Write not accepted", 503),
	STORAGE_UNAVAILABLE("storage-unavailable", "Storage unavailable", 503),
	UNAUTHORIZED("unauthorized", "Unauthorized", 401), FORBIDDEN("forbidden", "Forbidden", 403),
	METHOD_NOT_ALLOWED("method-not-allowed", "Method not allowed", 405),
	NOT_ACCEPTABLE("not-acceptable", "Not acceptable", 406),
	UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Unsupported media type", 415),
	INTERNAL_ERROR("internal-error", "Internal error", 500);

	private static final String PREFIX = "urn:spawn-telemetry:problem:";

	private final URI uri;

	private final String title;

	private final int status;

	ProblemType(String slug, String title, int status) {
		this.uri = URI.create(PREFIX + slug);
		this.title = title;
		this.status = status;
	}

	/**
	 * The type of a problem known only by its status, as Spring MVC, Spring Security and
	 * Tomcat answer them.
	 */
	public static ProblemType forStatus(int status) {
		return switch (status) {
			case 401 -> UNAUTHORIZED;
			case 403 -> FORBIDDEN;
			case 404 -> NOT_FOUND;
			case 405 -> METHOD_NOT_ALLOWED;
			case 406 -> NOT_ACCEPTABLE;
			case 408 -> REQUEST_TIMEOUT;
			case 409 -> CONFLICT;
			case 413 -> PAYLOAD_TOO_LARGE;
			case 415 -> UNSUPPORTED_MEDIA_TYPE;
			case 422 -> LIMIT_EXCEEDED;
			case 503 -> OVERLOADED;
			// a request this service does not serve (a transfer coding, a method, an HTTP
			// version): the client's to change, not a fault of the service
			case 501, 505 -> INVALID_REQUEST;
			default -> (status >= 400 && status < 500) ? INVALID_REQUEST : INTERNAL_ERROR;
		};
	}

	/** A problem of this type: the one way this service builds one. */
	public ProblemDetail problem(HttpStatusCode status, @Nullable String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		describe(problem);
		return problem;
	}

	/** A problem of this type with its own status. */
	public ProblemDetail problem(@Nullable String detail) {
		return problem(HttpStatusCode.valueOf(this.status), detail);
	}

	/** Gives a problem built elsewhere (by Spring MVC) this type and its title. */
	public void describe(ProblemDetail problem) {
		problem.setType(this.uri);
		problem.setTitle(this.title);
	}

	public URI uri() {
		return this.uri;
	}

	public String title() {
		return this.title;
	}

	/** The HTTP status this service answers a problem of this type with. */
	public int status() {
		return this.status;
	}

}
