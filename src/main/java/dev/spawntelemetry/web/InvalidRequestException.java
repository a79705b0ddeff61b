package dev.spawntelemetry.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A request that is well-formed JSON but breaks a rule of the API; answered 400 with this
 * message as the problem's detail.
 */
public class InvalidRequestException extends ErrorResponseException {

	public InvalidRequestException(String detail) {
		super(HttpStatus.BAD_REQUEST, problem(detail), null);
	}

	private static ProblemDetail problem(String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
		problem.setType(ProblemType.INVALID_REQUEST.uri());
		problem.setTitle(ProblemType.INVALID_REQUEST.title());
		return problem;
	}

	@Override
	public String getMessage() {
		return String.valueOf(getBody().getDetail());
	}

}
