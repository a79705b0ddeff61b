package dev.spawntelemetry.web;

import dev.spawntelemetry.problem.ProblemType;

import java.io.IOException;
import java.net.URI;

import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

/**
 * Writes a problem answer from where Spring MVC's advice cannot: servlet filters, which
 * run before a controller is chosen, and the error page.
 */
@Component
public class ProblemResponseWriter {

	private final JsonMapper json;

	ProblemResponseWriter(JsonMapper json) {
		this.json = json;
	}

	/**
	 * Answers with a problem of the given status, whose type follows from the status.
	 * @param instance the request's path, as the client sent it
	 */
	public void write(HttpServletResponse response, HttpStatus status, String detail, String instance)
			throws IOException {
		ProblemType type = ProblemType.forStatus(status.value());
		ProblemDetail problem = type.problem(status, detail);
		problem.setInstance(safeUri(instance));
		response.setStatus(status.value());
		ResponseHeadersFilter.problemHeaders(response::setHeader);
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		this.json.writeValue(response.getOutputStream(), problem);
	}

	/** The path as the client sent it, or none where that is not a URI reference. */
	private static @Nullable URI safeUri(String path) {
		try {
			return URI.create(path);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}
