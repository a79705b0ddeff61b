package dev.spawntelemetry.web;

import java.util.List;

import tools.jackson.core.JacksonException;

/**
 * Names fields in error messages the way clients write them: snake_case JSON paths.
 */
final class JsonNames {

	private JsonNames() {
	}

	/** {@code spawnId} becomes {@code spawn_id}; {@code tools[read]} stays as it is. */
	static String of(String javaName) {
		StringBuilder name = new StringBuilder(javaName.length() + 4);
		for (char c : javaName.toCharArray()) {
			if (Character.isUpperCase(c)) {
				name.append('_').append(Character.toLowerCase(c));
			}
			else {
				name.append(c);
			}
		}
		return name.toString();
	}

	static String path(List<JacksonException.Reference> references) {
		StringBuilder path = new StringBuilder();
		for (JacksonException.Reference reference : references) {
			if (reference.getPropertyName() != null) {
				path.append((path.length() > 0) ? "." : "").append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return (path.length() > 0) ? path.toString() : "the request body";
	}

}
