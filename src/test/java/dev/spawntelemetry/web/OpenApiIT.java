package dev.spawntelemetry.web;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.spawntelemetry.RunningService;
import dev.spawntelemetry.TestApi;
import dev.spawntelemetry.routing.Objective;
import dev.spawntelemetry.telemetry.BucketSize;

import static org.assertj.core.api.Assertions.assertThat;

class OpenApiIT {

	/** What every read may answer besides its own answers. */
	static final List<String> READ = List.of("401", "406");

	/** What every write may answer besides its own answers. */
	static final List<String> WRITE = List.of("401", "403", "406", "413", "415", "503");

	/** Every endpoint of the service, with the answers it can give. */
	static final Map<String, List<String>> ENDPOINTS = Map.ofEntries(
			Map.entry("post /spawns", with(WRITE, "201", "200", "400", "409", "422")),
			Map.entry("get /spawns", with(READ, "200", "400")),
			Map.entry("get /spawns/{spawnId}", with(READ, "200", "404")),
			Map.entry("put /spawns/{spawnId}/outcome", with(WRITE, "200", "400", "404", "409")),
			Map.entry("post /spawns/{spawnId}/usage", with(WRITE, "200", "400", "404", "422")),
			Map.entry("get /stats", with(READ, "200", "304")),
			Map.entry("get /stats/models/{model}", with(READ, "200", "304", "404")),
			Map.entry("get /stats/routing", with(READ, "200", "304", "400")),
			Map.entry("get /stats/trends", with(READ, "200", "304", "400")),
			Map.entry("get /stats/ranking", with(READ, "200", "304")),
			Map.entry("get /stats/castes/{caste}", with(READ, "200", "304", "404")),
			Map.entry("get /recommendations", with(READ, "200", "400", "404")));

	private static List<String> with(List<String> common, String... own) {
		return java.util.stream.Stream.concat(common.stream(), java.util.Arrays.stream(own)).distinct().toList();
	}

	@TempDir
	Path dataDirectory;

	@Test
	void documentsEveryEndpointWithItsErrorAnswers() {
		try (RunningService service = RunningService.start(this.dataDirectory)) {
			TestApi api = service.api();
			JsonNode docs = api.get("/v3/api-docs").json();
			JsonNode paths = docs.get("paths");

			ENDPOINTS.forEach((endpoint, statuses) -> {
				String method = endpoint.substring(0, endpoint.indexOf(' '));
				String path = endpoint.substring(endpoint.indexOf(' ') + 1);
				JsonNode operation = paths.path(path).path(method);
				assertThat(operation.isMissingNode()).as(endpoint + " in " + paths.propertyNames()).isFalse();
				assertThat(operation.get("summary").asString()).as(endpoint).isNotBlank();
				assertThat(operation.get("responses").propertyNames()).as(endpoint)
					.containsExactlyInAnyOrderElementsOf(statuses);
				operation.get("responses").properties().forEach((answer) -> {
					if (answer.getKey().startsWith("4") || answer.getKey().startsWith("5")) {
						JsonNode problem = resolve(docs, answer.getValue());
						assertThat(problem.path("content").has("application/problem+json")).as(endpoint).isTrue();
						assertThat(problem.path("content").path("application/problem+json").path("examples").size())
							.as(endpoint)
							.isPositive();
					}
				});
			});
			JsonNode spawn = docs.get("components").get("schemas").get("SpawnRecord").get("properties");
			assertThat(spawn.propertyNames()).contains("spawn_id", "selected_model", "completed_at");
			assertThat(spawn.get("completed_at").get("type").toString()).as("sent as null until it ends")
				.contains("\"null\"");
			assertThat(paths.path("/spawns").path("post").get("security").toString())
				.isEqualTo("[{\"writeToken\":[]},{}]");
			assertThat(paths.path("/stats").path("get").get("security").toString())
				.isEqualTo("[{\"readToken\":[]},{\"writeToken\":[]},{}]");
			assertThat(docs.get("components").get("schemas").get("SpawnRecord").get("required").toString())
				.as("every field an answer always has is required, so that generated types are not all optional")
				.contains("\"spawn_id\"", "\"completed_at\"", "\"tools\"")
				.doesNotContain("\"route\"");
			assertThat(docs.get("components").get("schemas").get("SpawnRequest").has("required"))
				.as("a request's fields are required only as its validation says")
				.isFalse();

			List<String> parameters = new ArrayList<>();
			paths.properties()
				.forEach((path) -> path.getValue()
					.properties()
					.forEach((operation) -> operation.getValue().path("parameters").forEach((parameter) -> {
						parameters.add(parameter.get("name").asString());
						assertThat(parameter.path("description").asString())
							.as(operation.getKey() + " " + path.getKey() + " " + parameter.get("name"))
							.isNotBlank();
					})));
			assertThat(parameters).hasSizeGreaterThanOrEqualTo(26);
			JsonNode route = paths.path("/routes/{caste}").path("get");
			assertThat(enumOf(route, "objective"))
				.containsExactlyElementsOf(Arrays.stream(Objective.values()).map(Objective::wireName).toList());
			assertThat(parameter(route, "candidates").path("schema").path("type").asString()).isEqualTo("array");
			assertThat(parameter(route, "candidates").path("explode").asBoolean(true)).isFalse();
			JsonNode trends = paths.path("/stats/trends").path("get");
			assertThat(enumOf(trends, "bucket"))
				.containsExactlyElementsOf(Arrays.stream(BucketSize.values()).map(BucketSize::wireName).toList());
			assertThat(parameter(trends, "from").path("schema").path("format").asString()).isEqualTo("date-time");
			assertThat(parameter(trends, "to").path("schema").path("format").asString()).isEqualTo("date-time");
			assertThat(enumOf(paths.path("/spawns").path("get"), "outcome")).containsExactly("completed", "failed",
					"blocked", "open");

			TestApi.Response swaggerUi = api.get("/swagger-ui.html");
			assertThat(swaggerUi.status()).isEqualTo(302);
			assertThat(api.get(swaggerUi.header("Location")).body()).contains("swagger-ui");
		}
	}

	private static JsonNode parameter(JsonNode operation, String name) {
		for (JsonNode parameter : operation.path("parameters")) {
			if (parameter.get("name").asString().equals(name)) {
				return parameter;
			}
		}
		throw new AssertionError("no parameter " + name + " in " + operation);
	}

	private static List<String> enumOf(JsonNode operation, String name) {
		List<String> values = new ArrayList<>();
		parameter(operation, name).path("schema").path("enum").forEach((value) -> values.add(value.asString()));
		return values;
	}

	private static JsonNode resolve(JsonNode docs, JsonNode response) {
		if (!response.has("$ref")) {
			return response;
		}
		String name = response.get("$ref").asString().substring("#/components/responses/".length());
		return docs.get("components").get("responses").get(name);
	}

}
