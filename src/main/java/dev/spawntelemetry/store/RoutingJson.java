package dev.spawntelemetry.store;

import java.util.Map;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import dev.spawntelemetry.telemetry.PropensitySums;
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

	/**
	 * Propensity sums per task class read back.
	 * @throws IllegalArgumentException if they are not such, or hold a number that is not
	 * finite
	 */
	public static Map<String, PropensitySums> propensitySums(JsonNode json) {
		Map<String, PropensitySums> sums;
		try {
			sums = mapper.treeToValue(json, new TypeReference<Map<String, PropensitySums>>() {
			});
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("not readable: " + ex.getMessage(), ex);
		}
		for (PropensitySums sum : sums.values()) {
			if (sum == null || sum.always() == null || sum.uniform() == null || !sum.always().isFinite()
					|| !sum.uniform().isFinite()) {
				throw new IllegalArgumentException("a class's sums are missing or not finite");
			}
		}
		return sums;
	}

	public static Map<String, PropensitySums> propensitySums(String json) {
		return propensitySums(mapper.readTree(json));
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
