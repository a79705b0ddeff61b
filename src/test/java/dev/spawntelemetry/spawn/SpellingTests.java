package dev.spawntelemetry.spawn;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each spelling's code answers exactly as the regular expression the API document
 * publishes for it.
 */
class SpellingTests {

	/** Every character class the expressions tell apart, and the ones around them. */
	private static final String[] PIECES = { "a", "Z", "0", ".", "/", "_", ":", "@", "~", "-", " ", "\n", "\r", "é",
			"\u0000", "\u0001", "\ud800", "\udc00", "\ud83d\ude00", "\u2028", "$", "%" };

	@ParameterizedTest
	@EnumSource(Spelling.class)
	void everyShortStringOfTheTellingCharactersIsJudgedAsTheExpressionJudgesIt(Spelling spelling) {
		Pattern expression = Pattern.compile(spelling.pattern());
		List<String> strings = new ArrayList<>(List.of(""));
		List<String> shorter = List.of("");
		for (int pieces = 1; pieces <= 4; pieces++) {
			List<String> longer = new ArrayList<>();
			for (String string : shorter) {
				for (String piece : PIECES) {
					longer.add(string + piece);
				}
			}
			strings.addAll(longer);
			shorter = longer;
		}
		assertThat(strings).hasSizeGreaterThan(200_000);
		for (String string : strings) {
			assertThat(spelling.isSpelled(string)).as("%s of %s", spelling, escaped(string))
				.isEqualTo(expression.matcher(string).matches());
		}
	}

	@ParameterizedTest
	@EnumSource(Spelling.class)
	void longAndRandomStringsAreJudgedAsTheExpressionJudgesThem(Spelling spelling) {
		Pattern expression = Pattern.compile(spelling.pattern());
		SplittableRandom random = new SplittableRandom(20261207);
		int spelled = 0;
		for (int i = 0; i < 100_000; i++) {
			StringBuilder string = new StringBuilder();
			int length = random.nextInt(0, 140);
			// mostly name characters, so that long names around the bounds come up
			for (int j = 0; j < length; j++) {
				string.append((random.nextInt(10) < 8) ? "ab.-/".charAt(random.nextInt(5))
						: PIECES[random.nextInt(PIECES.length)]);
			}
			boolean expected = expression.matcher(string).matches();
			assertThat(spelling.isSpelled(string.toString())).as("%s of %s", spelling, escaped(string.toString()))
				.isEqualTo(expected);
			spelled += expected ? 1 : 0;
		}
		assertThat(spelled).as("strings that follow the spelling").isGreaterThan(100);
		for (int length : new int[] { 63, 64, 65, 127, 128, 129 }) {
			for (String unit : new String[] { "a", ".", "a/" }) {
				String string = unit.repeat(length).substring(0, length);
				assertThat(spelling.isSpelled(string)).as("%s of %s", spelling, string)
					.isEqualTo(expression.matcher(string).matches());
			}
		}
	}

	private static String escaped(String string) {
		StringBuilder escaped = new StringBuilder();
		string.chars().forEach((c) -> escaped.append((c < 0x20 || c > 0x7e) ? String.format("\\u%04x", c) : (char) c));
		return escaped.toString();
	}

}
