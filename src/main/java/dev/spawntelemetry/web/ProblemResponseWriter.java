package dev.spawntelemetry.web;

import java.io.IOException;
import java.net.URI;

import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

/**
 * Writes a problem answer from where Spring MVC's advice cannot: servlet filters, which
 * run before a controller is chosen.
 */
@Component
public class ProblemResponseWriter {

	private final JsonMapper json;

	ProblemResponseWriter(JsonMapper json) {
		this.json = json;
	}

	/**
	 * Answers with a problem of the given status.
	 * @param slug the problem type's last part, as in
	 * {@code urn:spawn-telemetry:problem:unauthorized}
	 */
	public void write(HttpServletResponse response, HttpStatus status, String slug, String title, String detail,
			String instance) throws IOException {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create(ProblemType.PREFIX + slug));
		problem.setTitle(title);
		problem.setInstance(URI.create(instance));
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		this.json.writeValue(response.getOutputStream(), problem);
	}

}
