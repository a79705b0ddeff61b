package dev.spawntelemetry.otlp;

import org.jspecify.annotations.Nullable;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * The attributes of a span as the mapping reads them: strings (an integer or a boolean as
 * its text), whole numbers (anything else is -1, which no count accepts), and the tokens
 * under the current names of the GenAI conventions or the older ones.
 */
final class SpanAttributes {

	private SpanAttributes() {
	}

	/**
	 * The tokens a span counts: input and output, under the current names or the older
	 * ones; {@code null} if it counts none.
	 */
	static @Nullable Long tokens(Span span) {
		Long input = firstLong(span, "gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens");
		Long output = firstLong(span, "gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens");
		if (input == null && output == null) {
			return null;
		}
		long in = (input != null) ? input : 0;
		long out = (output != null) ? output : 0;
		return (in < 0 || out < 0) ? -1L : (in + out < 0) ? Long.MAX_VALUE : in + out;
	}

	static @Nullable String firstString(Span span, @Nullable String... keys) {
		for (String key : keys) {
			String value = (key != null) ? string(span, key) : null;
			if (value != null) {
				return value;
			}
		}
		return null;
	}

	/** A string attribute, or an integer one as its digits. */
	static @Nullable String string(Span span, String key) {
		AnyValue value = attribute(span, key);
		if (value == null) {
			return null;
		}
		return switch (value.getValueCase()) {
			case STRING_VALUE -> value.getStringValue();
			case INT_VALUE -> Long.toString(value.getIntValue());
			case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
			default -> null;
		};
	}

	static @Nullable Long firstLong(Span span, String... keys) {
		for (String key : keys) {
			AnyValue value = attribute(span, key);
			if (value != null) {
				switch (value.getValueCase()) {
					case INT_VALUE:
						return value.getIntValue();
					case DOUBLE_VALUE:
						double number = value.getDoubleValue();
						return (number == Math.rint(number) && Math.abs(number) < 1e18) ? (long) number : -1L;
					case STRING_VALUE:
						try {
							return Long.parseLong(value.getStringValue().strip());
						}
						catch (NumberFormatException ex) {
							return -1L;
						}
					default:
						return -1L;
				}
			}
		}
		return null;
	}

	private static @Nullable AnyValue attribute(Span span, String key) {
		for (KeyValue attribute : span.getAttributesList()) {
			if (attribute.getKey().equals(key)) {
				return attribute.getValue();
			}
		}
		return null;
	}

}
