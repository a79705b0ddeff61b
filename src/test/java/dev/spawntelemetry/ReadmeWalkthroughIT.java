package dev.spawntelemetry;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's walk-through, pasted into bash as a new user would, against the packaged
 * service: every status line and header it shows in a comment is what the service
 * answers, in that order.
 */
class ReadmeWalkthroughIT {

	private static final Pattern SHOWN = Pattern.compile("(?m)^# (HTTP/1\\.1 \\d{3}|Location: /spawns/)");

	@TempDir
	Path data;

	@Test
	void answersAsTheReadmeShows() throws Exception {
		String walkthrough = walkthrough();
		List<String> shown = new ArrayList<>();
		Matcher matcher = SHOWN.matcher(walkthrough);
		while (matcher.find()) {
			shown.add(matcher.group(1));
		}
		assertThat(shown).as("the walk-through shows its answers").hasSizeGreaterThanOrEqualTo(5);

		try (ServiceProcess service = ServiceProcess.start(this.data)) {
			String output = bash(walkthrough.replace("localhost:8080", "localhost:" + service.port()));

			assertThat(output).as("each answer ends its line, so that the next status line starts one")
				.doesNotContainPattern("[^\\n]HTTP/1\\.1 \\d{3}");
			int from = 0;
			for (String expected : shown) {
				int at = output.indexOf(expected, from);
				assertThat(at).as("'%s' after what came before, in:%n%s", expected, output).isGreaterThanOrEqualTo(0);
				from = at + expected.length();
			}
		}
	}

	/** The first bash block after the walk-through's heading. */
	private static String walkthrough() throws Exception {
		String readme = Files.readString(Path.of("README.md"));
		int heading = readme.indexOf("## A walk through the API");
		int start = readme.indexOf("```bash\n", heading) + "```bash\n".length();
		return readme.substring(start, readme.indexOf("\n```", start));
	}

	/** Runs a script as a terminal would show it: stdout and stderr through one pipe. */
	private static String bash(String script) throws Exception {
		Process bash = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script).redirectErrorStream(true).start();
		String printed = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(bash.waitFor(2, TimeUnit.MINUTES)).isTrue();
		assertThat(bash.exitValue()).as(printed).isZero();
		return printed;
	}

}
