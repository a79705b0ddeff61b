package dev.spawntelemetry.web;

import dev.spawntelemetry.problem.ProblemType;

import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.MediaType;

/**
 * Tomcat's own refusals, made before a request reaches the application (a request line or
 * headers too large, too many headers), answered as a problem instead of Tomcat's HTML
 * page.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

	private static final Log logger = LogFactory.getLog(ProblemErrorReportValve.class);

	/** Outside the application, before its JSON mapper: one of its own, for escaping. */
	private static final JsonMapper json = JsonMapper.builder().build();

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		int status = response.getStatus();
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		HttpStatus resolved = HttpStatus.resolve(status);
		ProblemType type = ProblemType.forStatus(status);
		String detail = (status == 400)
				? "The request is malformed: its request line and headers must stay under 8 KiB and 100 headers"
				: (resolved != null) ? resolved.getReasonPhrase() : "Error";
		try {
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			response.setCharacterEncoding("UTF-8");
			ResponseHeadersFilter.problemHeaders(response::setHeader);
			Writer writer = response.getReporter();
			if (writer != null) {
				ProblemDetail problem = type.problem(HttpStatusCode.valueOf(status), detail);
				Map<String, Object> fields = new LinkedHashMap<>();
				fields.put("type", problem.getType().toString());
				fields.put("title", problem.getTitle());
				fields.put("status", problem.getStatus());
				fields.put("detail", problem.getDetail());
				writer.write(json.writeValueAsString(fields));
				response.finishResponse();
			}
		}
		catch (IOException | IllegalStateException ex) {
			logger.debug("Could not write the problem for a refused request", ex);
		}
	}

}
