package dev.spawntelemetry.web;

import dev.spawntelemetry.problem.ProblemType;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * A request that is well-formed JSON but breaks a rule of the API; answered 400 with this
 * message as the problem's detail.
 */
public class InvalidRequestException extends ErrorResponseException {

	public InvalidRequestException(String detail) {
		super(HttpStatus.BAD_REQUEST, ProblemType.INVALID_REQUEST.problem(HttpStatus.BAD_REQUEST, detail), null);
	}

	@Override
	public String getMessage() {
		return String.valueOf(getBody().getDetail());
	}

}
