package dev.spawntelemetry.web;

import java.util.List;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import org.springdoc.core.customizers.OperationCustomizer;

import org.springframework.web.method.HandlerMethod;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * What every operation of the API may answer besides its own answers, and which token it
 * needs, written once: a token's refusal (401, and 403 for a write with the read token),
 * 406 for an {@code Accept} it cannot answer as, and for a write 413 and 415 for its body
 * and 503 when it is not applied. An operation's own annotations come first.
 */
final class CommonAnswers implements OperationCustomizer {

	static final String READ_TOKEN = "readToken";

	static final String WRITE_TOKEN = "writeToken";

	@Override
	public Operation customize(Operation operation, HandlerMethod handler) {
		boolean read = handler.hasMethodAnnotation(GetMapping.class);
		ApiResponses responses = (operation.getResponses() != null) ? operation.getResponses() : new ApiResponses();
		add(responses, "401", "Unauthorized");
		add(responses, "406", "NotAcceptable");
		if (!read) {
			add(responses, "403", "Forbidden");
			add(responses, "413", "PayloadTooLarge");
			add(responses, "415", "UnsupportedMediaType");
			add(responses, "503", "Unavailable");
		}
		operation.setResponses(responses);
		// no token at all is allowed too ({}): tokens are needed only once configured
		operation.setSecurity(read
				? List.of(new SecurityRequirement().addList(READ_TOKEN), new SecurityRequirement().addList(WRITE_TOKEN),
						new SecurityRequirement())
				: List.of(new SecurityRequirement().addList(WRITE_TOKEN), new SecurityRequirement()));
		return operation;
	}

	private static void add(ApiResponses responses, String status, String component) {
		if (!responses.containsKey(status)) {
			responses.addApiResponse(status, new ApiResponse().$ref("#/components/responses/" + component));
		}
	}

}
