package dev.spawntelemetry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every read answers as the build before the renames of issue 23 answered: the same
 * writes ({@code stable-answers/writes.txt}) on a fresh service, and then every value of
 * every read ({@code reads.txt}) by its path, in the order sent, compared with
 * {@code answers.txt}, which {@code record.sh} recorded from that build's jar. Names, key
 * order and counts on the wire are the API's; the code's names are free to change. Runs
 * on each backend.
 */
@ServiceTest
class StableAnswersIT {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** As {@code record.sh}: values that differ from run to run. */
	private static final Pattern VOLATILE_KEY = Pattern
		.compile("(^|\\.)(version|last_updated|timestamp|completed_at|at|from|to|start|since|generated_at)$");

	private static final Pattern VOLATILE_PATH = Pattern.compile("duration|seconds|millis|p50|p90|p99|points");

	private static final Pattern INSTANT = Pattern.compile("^[0-9]{4}-[0-9]{2}-[0-9]{2}T");

	@Autowired
	TestApi api;

	@Test
	void everyReadAnswersAsTheRecordedBuildDid() throws IOException {
		for (String write : lines("writes.txt")) {
			String[] parts = write.split(" ", 3);
			TestApi.Response response = this.api.send(parts[0], parts[1], parts[2], Map.of());
			assertThat(response.status()).as(write).isBetween(200, 299);
		}
		List<String> rendered = new ArrayList<>();
		for (String read : lines("reads.txt")) {
			TestApi.Response response = this.api.get(read);
			assertThat(response.status()).as(read).isEqualTo(200);
			rendered.add("GET " + read);
			JsonNode answer = TestApi.parse(response.body());
			if (read.startsWith("/routes/")) {
				// sampled with the state's version as the seed
				((ObjectNode) answer).put("model", "<sampled>");
			}
			render(answer, "", rendered);
		}
		Path answered = Files.createTempFile("stable-answers", ".txt");
		Files.write(answered, rendered);
		assertThat(rendered).as("this build's answers are in " + answered + ": diff them with answers.txt")
			.containsExactlyElementsOf(lines("answers.txt"));
	}

	/**
	 * As {@code record.sh}'s jq: each scalar or empty container as {@code path = value}.
	 */
	private static void render(JsonNode node, String path, List<String> lines) {
		if (node.isContainer() && !node.isEmpty()) {
			if (node.isArray()) {
				for (int i = 0; i < node.size(); i++) {
					render(node.get(i), join(path, Integer.toString(i)), lines);
				}
			}
			else {
				node.properties().forEach((field) -> render(field.getValue(), join(path, field.getKey()), lines));
			}
			return;
		}
		lines.add(path + " = " + value(node, path));
	}

	private static String value(JsonNode node, String path) {
		if (node.isNumber()) {
			if (VOLATILE_KEY.matcher(path).find() || VOLATILE_PATH.matcher(path).find()) {
				return "<number>";
			}
			if (node.isIntegralNumber()) {
				return node.bigIntegerValue().toString();
			}
			double value = node.doubleValue();
			return (value == Math.floor(value)) ? Long.toString((long) value) : "~" + Math.round(value * 1_000_000);
		}
		if (node.isString() && INSTANT.matcher(node.stringValue()).find()) {
			return "<instant>";
		}
		return JSON.writeValueAsString(node);
	}

	private static String join(String path, String key) {
		return path.isEmpty() ? key : path + "." + key;
	}

	private static List<String> lines(String name) throws IOException {
		try (InputStream in = StableAnswersIT.class.getResourceAsStream("/stable-answers/" + name)) {
			assertThat(in).as(name).isNotNull();
			return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
				.filter((line) -> !line.startsWith("#"))
				.toList();
		}
	}

}
