package dev.spawntelemetry.spawn;

import java.util.function.Predicate;

import dev.spawntelemetry.telemetry.ModelNames;

/**
 * How a field of a request must be spelled: the regular expression the API document
 * publishes, what an answer says to a request that breaks it, and the code that checks it
 * (equivalent to the expression, and a fraction of its time on every write).
 */
enum Spelling {

	TEXT(ModelNames.TEXT, ModelNames.TEXT_RULE, ModelNames::isText),

	NAME(ModelNames.NAME, ModelNames.NAME_RULE, ModelNames::isName),

	MODEL(ModelNames.PATTERN, ModelNames.RULE, ModelNames::isValid),

	SPAWN_ID("(?!\\.+$)[A-Za-z0-9._:-]{1,64}",
			"must be 1 to 64 of the characters A-Z a-z 0-9 . _ : -, and not only dots", Spelling::isSpawnId);

	private final String pattern;

	private final String rule;

	private final Predicate<String> check;

	Spelling(String pattern, String rule, Predicate<String> check) {
		this.pattern = pattern;
		this.rule = rule;
		this.check = check;
	}

	String pattern() {
		return this.pattern;
	}

	String rule() {
		return this.rule;
	}

	boolean isSpelled(String value) {
		return this.check.test(value);
	}

	private static boolean isSpawnId(String id) {
		if (id.isEmpty() || id.length() > 64) {
			return false;
		}
		boolean onlyDots = true;
		for (int i = 0; i < id.length(); i++) {
			char c = id.charAt(i);
			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
					|| c == ':' || c == '-')) {
				return false;
			}
			onlyDots &= c == '.';
		}
		return !onlyDots;
	}

}
