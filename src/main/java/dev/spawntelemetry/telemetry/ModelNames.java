package dev.spawntelemetry.telemetry;

import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * What a model's name may be: names joined by single slashes, such as
 * openrouter/anthropic/claude-sonnet-4.5, of characters that stand for themselves in a
 * URL path and a query.
 */
public final class ModelNames {

	public static final String NAME_CHARACTER = "[A-Za-z0-9._:@~-]";

	public static final String PATTERN = "(?=.{1,128}$)(?!(?:.*/)?\\.+(?:/.*)?$)" + NAME_CHARACTER + "+(?:/"
			+ NAME_CHARACTER + "+)*";

	public static final String RULE = "must be 1 to 128 of the characters A-Z a-z 0-9 . _ - : @ ~ and '/' between "
			+ "parts (openrouter/anthropic/claude-sonnet-4.5); no empty part, no part of only dots";

	/**
	 * What a caste's or a source's name may be: characters that stand for themselves in a
	 * URL path and a query, so that every name is reachable at its URL as sent; not only
	 * dots, which a path would resolve away.
	 */
	public static final String NAME = "(?!\\.+$)" + NAME_CHARACTER + "{1,128}";

	public static final String NAME_RULE = "must be 1 to 128 of the characters A-Z a-z 0-9 . _ - : @ ~, and not only dots";

	/**
	 * Any text every backend can store: no lone UTF-16 surrogates (not JSON), no U+0000
	 * (not PostgreSQL text).
	 */
	public static final String TEXT = "(?s)[^\\p{Cs}\\x{0}]*";

	public static final String TEXT_RULE = "must be valid Unicode text without U+0000 (NUL); it contains a NUL or a lone "
			+ "UTF-16 surrogate";

	private static final Pattern COMPILED = Pattern.compile(PATTERN);

	private ModelNames() {
	}

	public static boolean isValid(String name) {
		return COMPILED.matcher(name).matches();
	}

	/** A name as it may be echoed in an answer: short, and printable. */
	public static String shown(@Nullable String name) {
		if (name == null) {
			return "null";
		}
		String shown = (name.length() > 64) ? name.substring(0, 64) + "…" : name;
		return shown.codePoints().allMatch((c) -> c >= 0x20 && c != 0x7f && !Character.isSurrogate((char) c)) ? shown
				: "(not printable)";
	}

}
