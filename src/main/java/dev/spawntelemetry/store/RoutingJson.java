package dev.spawntelemetry.store;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import dev.spawntelemetry.telemetry.Route;
import dev.spawntelemetry.telemetry.RouteEvidence;

/**
 * The JSON of a spawn's route and of a caste's routing evidence, the same in the file and
 * in the database: snake_case, doubles to the last bit.
 */
public final class RoutingJson {

	private static final JsonMapper mapper = JsonMapper.builder()
		.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
		.build();

	private RoutingJson() {
	}

	public static String write(Object routeOrEvidence) {
		return mapper.writeValueAsString(routeOrEvidence);
	}

	/**
	 * A route read back.
	 * @throws IllegalArgumentException if it is not one
	 */
	public static Route route(JsonNode json) {
		return read(json, Route.class);
	}

	public static Route route(String json) {
		return read(mapper.readTree(json), Route.class);
	}

	/**
	 * Routing evidence read back.
	 * @throws IllegalArgumentException if it is not such
	 */
	public static RouteEvidence evidence(JsonNode json) {
		return read(json, RouteEvidence.class);
	}

	public static RouteEvidence evidence(String json) {
		return read(mapper.readTree(json), RouteEvidence.class);
	}

	private static <T> T read(JsonNode json, Class<T> type) {
		try {
			return mapper.treeToValue(json, type);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException(type.getSimpleName() + " is not readable: " + ex.getMessage(), ex);
		}
	}

}
