package dev.spawntelemetry.web;

import java.io.IOException;
import java.util.concurrent.CompletionException;

import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * Writes a {@link WriterAnswer} as Spring MVC would have: the entity's body as JSON (or,
 * if it is bytes, as they are, in the entity's content type), or its refusal as the
 * problem {@link ProblemDetailsAdvice} gives it.
 */
class WriterAnswerWriter {

	private static final Log logger = LogFactory.getLog(WriterAnswerWriter.class);

	private final JsonMapper json;

	private final ProblemResponseWriter problems;

	WriterAnswerWriter(JsonMapper json, ProblemResponseWriter problems) {
		this.json = json;
		this.problems = problems;
	}

	void write(ServletResponse servletResponse, @Nullable ResponseEntity<?> entity, @Nullable Throwable failure,
			String instance) {
		HttpServletResponse response = (HttpServletResponse) servletResponse;
		try {
			if (failure == null && entity != null) {
				MediaType type = entity.getHeaders().getContentType();
				byte[] body = (entity.getBody() instanceof byte[] encoded) ? encoded : json(entity.getBody());
				response.setStatus(entity.getStatusCode().value());
				entity.getHeaders()
					.forEach((name, values) -> values.forEach((value) -> response.addHeader(name, value)));
				response.setContentType((type != null) ? type.toString() : MediaType.APPLICATION_JSON_VALUE);
				response.setContentLength(body.length);
				response.getOutputStream().write(body);
			}
			else {
				this.problems.write(response, ProblemDetailsAdvice.answer(cause(failure)), instance);
			}
		}
		catch (IOException | IllegalStateException ex) {
			logger.debug("The client went away, or its request ended, before its answer was written", ex);
		}
	}

	/**
	 * The body as JSON; nothing after the commit may turn its answer into an error, so a
	 * body that cannot be written leaves the answer its status and headers alone.
	 */
	private byte[] json(@Nullable Object body) {
		try {
			return this.json.writeValueAsBytes(body);
		}
		catch (RuntimeException ex) {
			logger.error("The answer to a write that was applied cannot be written as JSON; it is answered with "
					+ "its status and headers alone", ex);
			return new byte[0];
		}
	}

	private static Throwable cause(@Nullable Throwable failure) {
		if (failure == null) {
			return new IllegalStateException("The writer answered neither a result nor a failure");
		}
		return (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
	}

}
