package dev.spawntelemetry.web;

import dev.spawntelemetry.problem.ProblemType;
import dev.spawntelemetry.problem.Refusal;

import java.time.Duration;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.TypeMismatchException;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.web.ErrorResponseException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Answers every error as RFC 9457 {@code application/problem+json} with a stable
 * {@code type} and a {@code detail} a person can act on; never a stack trace. A refusal
 * of the telemetry's own ({@link Refusal}) names its problem type and detail; this advice
 * answers it, gives Spring's own refusals their problems, and knows no feature package.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

	private static final Log logger = LogFactory.getLog(ProblemDetailsAdvice.class);

	private static final URI ABOUT_BLANK = URI.create("about:blank");

	static final String QUERY_NOT_DECODABLE = "The query string cannot be decoded: every '%' must start an escape of "
			+ "two hexadecimal digits (%2F), and the escapes must spell UTF-8";

	static final String NO_RESOURCE = "There is no resource at this path; the API is described at /v3/api-docs.";

	static final String UNEXPECTED_ERROR = "An unexpected error occurred and was logged; nothing of this request was "
			+ "stored.";

	@ExceptionHandler
	ProblemDetail undecodableQuery(InvalidParameterException ex) {
		return ProblemType.INVALID_REQUEST.problem(HttpStatus.BAD_REQUEST, QUERY_NOT_DECODABLE);
	}

	/**
	 * Each answer gets a problem of its own: one refusal may answer several writes (a
	 * batch refused together for one failure of the storage).
	 */
	@ExceptionHandler
	ResponseEntity<ProblemDetail> refused(Refusal refusal) {
		return answer(refusal);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unexpected(Exception ex) {
		return answer(ex);
	}

	/**
	 * The answer to a failure: a refusal's own problem, or, for anything else, an
	 * internal error that is logged.
	 */
	static ResponseEntity<ProblemDetail> answer(Throwable failure) {
		if (!(failure instanceof Refusal refusal)) {
			logger.error("Unexpected error answering a request", failure);
			return ResponseEntity.internalServerError()
				.body(ProblemType.INTERNAL_ERROR.problem(HttpStatus.INTERNAL_SERVER_ERROR, UNEXPECTED_ERROR));
		}
		ResponseEntity.BodyBuilder answer = ResponseEntity.status(refusal.type().status());
		Duration retryAfter = refusal.retryAfter();
		if (retryAfter != null) {
			answer.header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter.toSeconds()));
		}
		return answer.body(refusal.type().problem(refusal.getMessage()));
	}

	/** Each answer gets a problem of its own, which then names its own request. */
	@Override
	protected @Nullable ResponseEntity<Object> handleErrorResponseException(ErrorResponseException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		ProblemDetail shared = ex.getBody();
		ProblemDetail own = ProblemDetail.forStatus(shared.getStatus());
		own.setType(shared.getType());
		own.setTitle(shared.getTitle());
		own.setDetail(shared.getDetail());
		if (shared.getProperties() != null) {
			shared.getProperties().forEach(own::setProperty);
		}
		return handleExceptionInternal(ex, own, headers, status, request);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<Map<String, String>> errors = new ArrayList<>();
		for (FieldError error : ex.getBindingResult().getFieldErrors()) {
			errors.add(Map.of("field", JsonNames.of(error.getField()), "message",
					String.valueOf(error.getDefaultMessage())));
		}
		errors.sort((a, b) -> a.get("field").compareTo(b.get("field")));
		return invalid(errors, headers);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleHandlerMethodValidationException(
			HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<Map<String, String>> errors = new ArrayList<>();
		ex.getParameterValidationResults().forEach((result) -> {
			String name = wireName(result.getMethodParameter());
			for (var error : result.getResolvableErrors()) {
				errors.add(Map.of("field", name, "message", String.valueOf(error.getDefaultMessage())));
			}
		});
		return invalid(errors, headers);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		String name = (ex instanceof MethodArgumentTypeMismatchException mismatch) ? mismatch.getName()
				: String.valueOf(ex.getPropertyName());
		Class<?> type = ex.getRequiredType();
		String expected = (type != null && Number.class.isAssignableFrom(type) || type == int.class
				|| type == long.class) ? "an integer" : "a valid value";
		Object value = ex.getValue();
		String message = (value instanceof Object[] values && values.length > 1)
				? "must be given once, as " + expected + "; it was given " + values.length + " times"
				: "must be " + expected + ", got '" + shown(value) + "'";
		return invalid(List.of(Map.of("field", name, "message", message)), headers);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		RequestBodyLimitFilter.BodyTooLargeException tooLarge = findCause(ex,
				RequestBodyLimitFilter.BodyTooLargeException.class);
		if (tooLarge != null) {
			return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
				.body(ProblemType.PAYLOAD_TOO_LARGE.problem(HttpStatus.CONTENT_TOO_LARGE, tooLarge.getMessage()));
		}
		ProblemDetail problem = ProblemType.INVALID_REQUEST.problem(HttpStatus.BAD_REQUEST,
				UnreadableBodyMessages.describe(ex.getMostSpecificCause()));
		return ResponseEntity.badRequest().headers(headers).body(problem);
	}

	/**
	 * Spring MVC's own refusals (no such route, method, media type; a missing parameter)
	 * get this service's problem types and a detail that says what to send instead.
	 */
	@Override
	protected @Nullable ResponseEntity<Object> handleExceptionInternal(Exception ex, @Nullable Object body,
			HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
		ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
		if (response != null && response.getBody() instanceof ProblemDetail problem
				&& (problem.getType() == null || ABOUT_BLANK.equals(problem.getType()))) {
			ProblemType.forStatus(statusCode.value()).describe(problem);
			if (ex instanceof HttpMediaTypeNotAcceptableException) {
				problem.setDetail("This resource answers only application/json (errors as application/problem+json); "
						+ "send 'Accept: application/json' or leave Accept out. Nothing was applied.");
			}
			else if (ex instanceof HttpMediaTypeNotSupportedException) {
				problem.setDetail("The request body must be JSON: send 'Content-Type: application/json'.");
			}
			else if (ex instanceof NoResourceFoundException) {
				problem.setDetail(NO_RESOURCE);
			}
		}
		return response;
	}

	/**
	 * The parameter's name as the client sends it: {@code min_resolved}, not the Java
	 * name {@code minResolved}.
	 */
	private static String wireName(MethodParameter parameter) {
		RequestParam query = parameter.getParameterAnnotation(RequestParam.class);
		if (query != null && !query.name().isEmpty()) {
			return query.name();
		}
		PathVariable path = parameter.getParameterAnnotation(PathVariable.class);
		if (path != null && !path.name().isEmpty()) {
			return path.name();
		}
		return String.valueOf(parameter.getParameterName());
	}

	private static String shown(@Nullable Object value) {
		String text = (value instanceof Object[] values)
				? String.join(",", Arrays.stream(values).map(String::valueOf).toList()) : String.valueOf(value);
		return (text.length() > 64) ? text.substring(0, 64) + "…" : text;
	}

	/** The failure, or the first of its causes, of the given type. */
	static <T extends Throwable> @Nullable T findCause(@Nullable Throwable failure, Class<T> type) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
		}
		return null;
	}

	private ResponseEntity<Object> invalid(List<Map<String, String>> errors, HttpHeaders headers) {
		StringBuilder detail = new StringBuilder();
		for (Map<String, String> error : errors) {
			detail.append((detail.length() > 0) ? "; " : "")
				.append(error.get("field"))
				.append(' ')
				.append(error.get("message"));
		}
		ProblemDetail problem = ProblemType.INVALID_REQUEST.problem(HttpStatus.BAD_REQUEST, detail.toString());
		problem.setProperty("errors", errors);
		return ResponseEntity.badRequest().headers(headers).body(problem);
	}

}
