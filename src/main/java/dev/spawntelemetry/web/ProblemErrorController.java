package dev.spawntelemetry.web;

import java.io.IOException;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.coyote.BadRequestException;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.webmvc.error.ErrorAttributes;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.context.request.ServletWebRequest;

/**
 * The error page: whatever failed outside a controller (the servlet container's own
 * refusals, Spring Security's firewall, a filter) is answered as a problem too, whatever
 * the request's {@code Accept} said.
 */
@Controller
class ProblemErrorController implements ErrorController {

	private static final Log logger = LogFactory.getLog(ProblemErrorController.class);

	private final ErrorAttributes errors;

	private final ProblemResponseWriter problems;

	ProblemErrorController(ErrorAttributes errors, ProblemResponseWriter problems) {
		this.errors = errors;
		this.problems = problems;
	}

	@RequestMapping("${server.error.path:${error.path:/error}}")
	void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
		Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		Object path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
		if (!(status instanceof Integer code)) {
			// asked for directly, not forwarded to by a failure
			this.problems.write(response, HttpStatus.NOT_FOUND, ProblemDetailsAdvice.NO_RESOURCE,
					request.getRequestURI());
			return;
		}
		Throwable failure = this.errors.getError(new ServletWebRequest(request));
		HttpStatus answer = (ProblemDetailsAdvice.findCause(failure, InvalidParameterException.class) != null)
				? HttpStatus.BAD_REQUEST : statusOf(code);
		if (answer.is5xxServerError()) {
			logger.error("Unexpected error answering " + path, failure);
		}
		this.problems.write(response, answer, detail(answer, failure),
				(path != null) ? path.toString() : request.getRequestURI());
	}

	private static String detail(HttpStatus status, @Nullable Throwable failure) {
		if (ProblemDetailsAdvice.findCause(failure, InvalidParameterException.class) != null) {
			return ProblemDetailsAdvice.QUERY_NOT_DECODABLE;
		}
		return switch (status) {
			case NOT_FOUND -> ProblemDetailsAdvice.NO_RESOURCE;
			case METHOD_NOT_ALLOWED -> "This method is not allowed here; the API is described at /v3/api-docs.";
			case BAD_REQUEST -> badRequest(failure);
			case CONTENT_TOO_LARGE -> "The request body is too large.";
			case REQUEST_TIMEOUT -> "The request did not arrive whole within the connection timeout; nothing was "
					+ "applied. Send it again.";
			default -> status.is5xxServerError() ? ProblemDetailsAdvice.UNEXPECTED_ERROR : status.getReasonPhrase();
		};
	}

	private static String badRequest(@Nullable Throwable failure) {
		BadRequestException unreadableBody = ProblemDetailsAdvice.findCause(failure, BadRequestException.class);
		if (unreadableBody != null) {
			return "The request body could not be read as sent (" + unreadableBody.getMessage() + "); nothing was "
					+ "applied. Send it with a Content-Length, or chunked with valid chunk sizes.";
		}
		RequestRejectedException rejected = ProblemDetailsAdvice.findCause(failure, RequestRejectedException.class);
		if (rejected != null) {
			return ProblemErrorReportValve.shortened(String.valueOf(rejected.getMessage()))
					+ ". A path must not contain '//', ';', '\\\\', or an encoded '.' or '%', "
					+ "and only the methods of the API are taken; nothing was applied.";
		}
		return "The request is malformed: its URL, its headers or its size are not accepted. A path must not contain "
				+ "'//', ';', '\\\\', or an encoded '.' or '%'; the request line and headers must stay under 8 KiB "
				+ "and 100 headers.";
	}

	private static HttpStatus statusOf(int code) {
		HttpStatus status = HttpStatus.resolve(code);
		return (status != null) ? status : HttpStatus.INTERNAL_SERVER_ERROR;
	}

}
