package dev.spawntelemetry.telemetry;

import dev.spawntelemetry.problem.ProblemType;
import dev.spawntelemetry.problem.Refusal;

/**
 * A write the service could not take on now and did not apply: too many writes are
 * waiting, the write waited too long for its turn, or the service is stopping. Retrying
 * later is safe.
 */
public class WriteNotAcceptedException extends Refusal {

	public WriteNotAcceptedException(String detail) {
		super(ProblemType.OVERLOADED, detail, RETRY_AFTER, null);
	}

}
