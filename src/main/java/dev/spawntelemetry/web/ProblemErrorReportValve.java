package dev.spawntelemetry.web;

import dev.spawntelemetry.problem.ProblemType;
import dev.spawntelemetry.problem.Refusal;

import java.io.IOException;
import java.io.Writer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.coyote.AbstractProtocol;
import org.apache.tomcat.util.http.MimeHeaders;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.MediaType;

/**
 * Tomcat's own refusals, made before a request reaches the application (a request line or
 * headers too large, too many headers, a request caught by the service stopping),
 * answered as a problem instead of Tomcat's HTML page.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

	private static final Log logger = LogFactory.getLog(ProblemErrorReportValve.class);

	/** Outside the application, before its JSON mapper: one of its own, for escaping. */
	private static final JsonMapper json = JsonMapper.builder().build();

	/** What a refusal quotes of the request: enough of it to find the fault, no more. */
	private static final int MAX_REASON = 200;

	@Override
	protected void report(Request request, Response response, @Nullable Throwable throwable) {
		int status = response.getStatus();
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		String detail;
		if (isStopping(request) && (status == 400 || status == 404 || status == 503)) {
			// Tomcat refused a request it had begun to read while the connector paused
			// (its 503 is overwritten with 400 for the Host header it never parsed), or
			// found the application stopped (404: no context, 503: context unavailable)
			status = HttpStatus.SERVICE_UNAVAILABLE.value();
			response.setStatus(status);
			response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(Refusal.RETRY_AFTER.toSeconds()));
			response.setHeader(HttpHeaders.CONNECTION, "close");
			detail = "The service is stopping: this request was not applied. Send it again after Retry-After; "
					+ "the restarted service or another replica will take it.";
		}
		else if (status == 400) {
			detail = "The request is not well-formed HTTP" + reason(request, throwable) + ": it needs a request line "
					+ "of a method, a target and a version, a Host header, at most one numeric Content-Length, and a "
					+ "request line and headers within 8 KiB and 100 headers";
		}
		else {
			detail = switch (status) {
				case 417 -> "Only 'Expect: 100-continue' is understood: send the request without another Expect";
				case 501 -> (request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null)
						? "The request's Transfer-Encoding is not one this service reads: send the body with a "
								+ "Content-Length, or chunked"
						: "The method " + shortened(request.getMethod()) + " is not served; the API is described at "
								+ "/v3/api-docs";
				case 505 -> "This HTTP version is not served: send HTTP/1.1";
				default -> {
					HttpStatus resolved = HttpStatus.resolve(status);
					yield (resolved != null) ? resolved.getReasonPhrase() : "Error";
				}
			};
		}
		ProblemType type = ProblemType.forStatus(status);
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

	/** What Tomcat could not parse, in its own words where it gave any. */
	private static String reason(Request request, @Nullable Throwable throwable) {
		String reason = (throwable != null) ? throwable.getMessage() : null;
		MimeHeaders headers = request.getCoyoteRequest().getMimeHeaders();
		if (reason == null && "HTTP/1.1".equals(request.getProtocol()) && headers.getValue("host") == null) {
			reason = "no Host header";
		}
		else if (reason == null) {
			List<String> lengths = Collections.list(headers.values("content-length"));
			if (lengths.size() > 1 || (lengths.size() == 1 && !lengths.get(0).matches("[0-9]{1,18}"))) {
				reason = "Content-Length " + String.join(", ", lengths);
			}
		}
		return (reason != null) ? " (" + shortened(reason) + ")" : "";
	}

	/** What a refusal quotes of the request, cut to {@value #MAX_REASON} characters. */
	static String shortened(String quoted) {
		return (quoted.length() > MAX_REASON) ? quoted.substring(0, MAX_REASON) + "…" : quoted;
	}

	private static boolean isStopping(Request request) {
		Connector connector = request.getConnector();
		return !connector.getState().isAvailable()
				|| (connector.getProtocolHandler() instanceof AbstractProtocol<?> protocol && protocol.isPaused());
	}

}
