package dev.spawntelemetry.web;

import dev.spawntelemetry.problem.ProblemType;

import java.io.IOException;
import java.net.URI;
import java.util.Objects;

import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * Writes a problem answer from where Spring MVC's advice cannot: servlet filters, which
 * run before a controller is chosen, the error page, and the answers the writer completes
 * ({@link WriterAnswer}).
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
		write(response, ResponseEntity.status(status).body(type.problem(status, detail)), instance);
	}

	/**
	 * Answers with the given problem, its status and its headers.
	 * @param instance the request's path, as the client sent it
	 */
	void write(HttpServletResponse response, ResponseEntity<ProblemDetail> answer, String instance) throws IOException {
		ProblemDetail problem = Objects.requireNonNull(answer.getBody());
		problem.setInstance(safeUri(instance));
		byte[] body = this.json.writeValueAsBytes(problem);
		response.setStatus(answer.getStatusCode().value());
		answer.getHeaders().forEach((name, values) -> values.forEach((value) -> response.addHeader(name, value)));
		ResponseHeadersFilter.problemHeaders(response::setHeader);
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
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
