package dev.spawntelemetry.web;

import dev.spawntelemetry.problem.ProblemType;

import java.util.List;
import java.util.Map;

import static java.util.Map.entry;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.providers.ObjectMapperProvider;
import org.springdoc.core.utils.SpringDocUtils;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description at {@code /v3/api-docs} and Swagger UI at
 * {@code /swagger-ui.html}: the problem answers every endpoint may give, described once.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	static final String PROBLEM = "application/problem+json";

	static {
		// documented as the entity it answers, like a DeferredResult
		SpringDocUtils.getConfig().addResponseWrapperToIgnore(WriterAnswer.class);
	}

	@Bean
	OpenAPI spawnTelemetryApi() {
		Components components = new Components().addSchemas("Problem", problemSchema())
			.addSecuritySchemes(CommonAnswers.WRITE_TOKEN,
					new SecurityScheme().type(SecurityScheme.Type.HTTP)
						.scheme("bearer")
						.description("telemetry.security.write-token: needed for every write once set, and good for "
								+ "reads"))
			.addSecuritySchemes(CommonAnswers.READ_TOKEN,
					new SecurityScheme().type(SecurityScheme.Type.HTTP)
						.scheme("bearer")
						.description("telemetry.security.read-token: needed for reads once set (with a write token)"));
		problems().forEach((name, response) -> components.addResponses(name, response));
		return new OpenAPI().components(components)
			.info(new Info().title("spawn-telemetry")
				.version("1")
				.license(new License().name("MIT").identifier("MIT"))
				.description("Agent orchestrators record every worker they spawn and how it ended; dashboards and "
						+ "routers read per-model and per-model × caste performance back. A 2xx answer to a write "
						+ "means it is durable on disk; an error means it was applied nowhere. Errors are RFC 9457 "
						+ "problem details with a stable type."));
	}

	@Bean
	CommonAnswers commonAnswers() {
		return new CommonAnswers();
	}

	@Bean
	RecordFields recordFields() {
		return new RecordFields("dev.spawntelemetry");
	}

	@Bean
	ParameterDescriptions parameterDescriptions() {
		return new ParameterDescriptions();
	}

	/**
	 * springdoc reads schemas with its own Jackson 2 mapper, which does not see the
	 * service's Jackson 3 snake_case naming; without this the documented field names
	 * would not be the real ones.
	 */
	@Bean
	ModelResolver snakeCaseModelResolver(ObjectMapperProvider mappers) {
		return new ModelResolver(
				mappers.jsonMapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));
	}

	private static Map<String, ApiResponse> problems() {
		return Map.ofEntries(
				entry("BadRequest",
						problem("The request breaks a rule of the API; detail says which and errors lists each field",
								ProblemType.INVALID_REQUEST, 400, "outcome must be one of completed, failed, blocked")),
				entry("NotFound",
						problem("Nothing by that name: never recorded, or rotated out of the decision log",
								ProblemType.NOT_FOUND, 404,
								"No spawn '019ab1c2-0428-7262-bbea-f1fce7fe3239' is recorded: it was never "
										+ "recorded, or it is among the oldest decisions that rotated out of the log")),
				entry("Conflict", problem(
						"Contradicts what is recorded: a spawn_id reused for another spawn, or a different outcome",
						ProblemType.CONFLICT, 409,
						"Spawn 'colony-7:scout.1' already ended 'completed'; an outcome, once recorded, is never changed")),
				entry("PayloadTooLarge",
						problem("The body is larger than telemetry.web.max-body-size (64 KiB)",
								ProblemType.PAYLOAD_TOO_LARGE, 413, "The request body is larger than 65536 bytes")),
				entry("LimitExceeded",
						problem("A new model or caste past telemetry.limits; known ones still work",
								ProblemType.LIMIT_EXCEEDED, 422,
								"Model 'x' would be model number 1001, past the limit of 1000 distinct models")),
				entry("Unavailable", problem(
						"Not applied: the writer is overloaded, the write waited longer than telemetry.writer.timeout, "
								+ "the service is stopping, or the disk refused the write. Retry after Retry-After "
								+ "seconds; retrying with the same spawn_id is safe",
						ProblemType.STORAGE_UNAVAILABLE, 503,
						"The write was not applied: the service cannot store it right now. Retry later; "
								+ "/actuator/health shows the cause.")),
				entry("Unauthorized",
						problem("A token is configured and the request has no valid one", ProblemType.UNAUTHORIZED, 401,
								"This request needs 'Authorization: Bearer <token>' with a valid token")),
				entry("Forbidden",
						problem("A write with the read token: writes need the write token", ProblemType.FORBIDDEN, 403,
								"This token may read but not write; writes need the write token")),
				entry("NotAcceptable",
						problem("Accept names no type this operation answers with (application/json, or "
								+ "application/problem+json for errors)", ProblemType.NOT_ACCEPTABLE, 406,
								"This resource answers with application/json; the request accepts only text/html")),
				entry("UnsupportedMediaType", problem(
						"The body is not sent as Content-Type: application/json (or is encoded)",
						ProblemType.UNSUPPORTED_MEDIA_TYPE, 415,
						"Send the body as JSON with 'Content-Type: application/json'; text/plain is not accepted")));
	}

	private static ApiResponse problem(String description, ProblemType type, int status, String detail) {
		Map<String, Object> example = Map.of("type", type.uri().toString(), "title", type.title(), "status", status,
				"detail", detail, "instance", "/spawns");
		return new ApiResponse().description(description)
			.content(new Content().addMediaType(PROBLEM,
					new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem"))
						.addExamples(type.name().toLowerCase(java.util.Locale.ROOT), new Example().value(example))));
	}

	private static Schema<?> problemSchema() {
		return new ObjectSchema().description("RFC 9457 problem details")
			.required(List.of("type", "title", "status", "detail"))
			.addProperty("type", new StringSchema().description("Stable, e.g. urn:spawn-telemetry:problem:not-found"))
			.addProperty("title", new StringSchema())
			.addProperty("status", new IntegerSchema())
			.addProperty("detail", new StringSchema().description("What went wrong and what to change"))
			.addProperty("instance", new StringSchema())
			.addProperty("errors",
					new ArraySchema().description("One entry per invalid field, for 400s")
						.items(new ObjectSchema().addProperty("field", new StringSchema())
							.addProperty("message", new StringSchema())));
	}

}
