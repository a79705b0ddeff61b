package dev.spawntelemetry.web;

import dev.spawntelemetry.problem.ProblemType;
import dev.spawntelemetry.problem.Refusal;

/**
 * A request that is well-formed JSON but breaks a rule of the API; answered 400 with this
 * message as the problem's detail.
 */
public class InvalidRequestException extends Refusal {

	public InvalidRequestException(String detail) {
		super(ProblemType.INVALID_REQUEST, detail);
	}

}
