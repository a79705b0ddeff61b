package dev.spawntelemetry.web;

import java.util.Map;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Says what is wrong with a request body in the client's terms (JSON paths and types),
 * never in Java's.
 */
final class UnreadableBodyMessages {

	private UnreadableBodyMessages() {
	}

	/** What is wrong with a body Jackson could not read, naming the field when it can. */
	static String describe(Throwable cause) {
		if (cause instanceof UnrecognizedPropertyException unknown) {
			return JsonNames.path(unknown.getPath()) + " is not a field of this request; its fields are "
					+ unknown.getKnownPropertyIds()
						.stream()
						.map(String::valueOf)
						.sorted()
						.collect(Collectors.joining(", "));
		}
		if (cause instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
			return JsonNames.path(mismatch.getPath()) + " " + expectation(mismatch.getTargetType());
		}
		if (cause instanceof DatabindException databind && !databind.getPath().isEmpty()) {
			return JsonNames.path(databind.getPath()) + " is invalid";
		}
		if (cause instanceof MismatchedInputException) {
			return "The request body must be a JSON object";
		}
		if (cause instanceof InputCoercionException number) {
			return "A number in the request body" + where(number) + " is out of range for a count";
		}
		if (cause instanceof StreamReadException syntax) {
			return "The request body is not valid JSON" + where(syntax) + ": " + withoutJavaNames(syntax);
		}
		if (cause instanceof JacksonException jackson) {
			return "The request body cannot be read" + where(jackson);
		}
		return "The request body is missing or unreadable; send a JSON object";
	}

	/**
	 * The parser's own words, which name JSON tokens, with any Java type name left out.
	 */
	private static String withoutJavaNames(JacksonException failure) {
		return String.valueOf(failure.getOriginalMessage()).replaceAll("`[\\w.$]+`", "a value");
	}

	private static String where(JacksonException failure) {
		TokenStreamLocation at = failure.getLocation();
		return (at != null) ? " at line " + at.getLineNr() + ", column " + at.getColumnNr() : "";
	}

	private static String expectation(@Nullable Class<?> type) {
		if (type == null) {
			return "has the wrong type";
		}
		if (type == String.class) {
			return "must be a string";
		}
		if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
			return "must be a whole number";
		}
		if (Map.class.isAssignableFrom(type) || type.isRecord()) {
			return "must be a JSON object";
		}
		return "has the wrong type";
	}

}
