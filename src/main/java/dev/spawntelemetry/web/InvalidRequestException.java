package dev.spawntelemetry.web;

/**
 * A request that is well-formed JSON but breaks a rule of the API; answered 400 with this
 * message as the problem's detail.
 */
public class InvalidRequestException extends RuntimeException {

	public InvalidRequestException(String message) {
		super(message);
	}

}
