package dev.spawntelemetry.telemetry;

import org.jspecify.annotations.Nullable;

/**
 * What a model's name may be: names joined by single slashes, such as
 * openrouter/anthropic/claude-sonnet-4.5, of characters that stand for themselves in a
 * URL path and a query.
 * <p>
 * Each rule is published as a regular expression ({@link #PATTERN}, {@link #NAME},
 * {@link #TEXT}) and checked by the equivalent code below, which takes a fraction of the
 * expression's time on every write.
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

	private ModelNames() {
	}

	/** Whether a model's name matches {@link #PATTERN}. */
	public static boolean isValid(String name) {
		if (name.isEmpty() || name.length() > 128) {
			return false;
		}
		int partStart = 0;
		for (int i = 0; i <= name.length(); i++) {
			if (i == name.length() || name.charAt(i) == '/') {
				if (!isPart(name, partStart, i)) {
					return false;
				}
				partStart = i + 1;
			}
			else if (!isNameCharacter(name.charAt(i))) {
				return false;
			}
		}
		return true;
	}

	/** Whether a caste's or a source's name matches {@link #NAME}. */
	public static boolean isName(String name) {
		if (name.isEmpty() || name.length() > 128) {
			return false;
		}
		for (int i = 0; i < name.length(); i++) {
			if (!isNameCharacter(name.charAt(i))) {
				return false;
			}
		}
		return isPart(name, 0, name.length());
	}

	/** Whether a text matches {@link #TEXT}: no U+0000, no lone surrogate. */
	public static boolean isText(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == 0) {
				return false;
			}
			if (Character.isSurrogate(c)) {
				if (!Character.isHighSurrogate(c) || i + 1 == text.length()
						|| !Character.isLowSurrogate(text.charAt(i + 1))) {
					return false;
				}
				i++;
			}
		}
		return true;
	}

	/** A part between slashes: not empty, not only dots. */
	private static boolean isPart(String name, int from, int to) {
		for (int i = from; i < to; i++) {
			if (name.charAt(i) != '.') {
				return true;
			}
		}
		return false;
	}

	/** One of {@link #NAME_CHARACTER}. */
	private static boolean isNameCharacter(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
				|| c == ':' || c == '@' || c == '~' || c == '-';
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
