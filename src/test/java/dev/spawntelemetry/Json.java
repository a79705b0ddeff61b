package dev.spawntelemetry;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Request bodies for tests, written by Jackson rather than by string concatenation, so
 * that every value is escaped as a client's JSON library would escape it.
 */
public final class Json {

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private Json() {
	}

	/**
	 * A JSON object of the given names and values, in order.
	 * @param namesAndValues name, value, name, value…; values are strings, numbers,
	 * booleans or nested {@link ObjectNode}s
	 */
	public static String object(Object... namesAndValues) {
		ObjectNode object = mapper.createObjectNode();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			String name = (String) namesAndValues[i];
			Object value = namesAndValues[i + 1];
			object.set(name, mapper.valueToTree(value));
		}
		return object.toString();
	}

}
