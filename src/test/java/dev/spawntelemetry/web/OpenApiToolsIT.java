package dev.spawntelemetry.web;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.spawntelemetry.RunningService;
import dev.spawntelemetry.TestApi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The OpenAPI document, checked by the tools a user would point at it:
 * {@code redocly lint} (Redocly's CLI, its recommended rules) finds neither an error nor
 * a warning, and Stoplight's Prism, as a validating proxy in front of the service, finds
 * every answer of a representative set of requests as the document describes it. Both
 * come from npm; ./test.sh installs them into {@code .tools/openapi}.
 */
class OpenApiToolsIT {

	static final Path TOOLS = Path.of(System.getProperty("openapi.tools", ".tools/openapi/node_modules/.bin"))
		.toAbsolutePath();

	@TempDir
	Path work;

	@Test
	void redoclyFindsNothingAndPrismFindsEveryAnswerAsDocumented() throws Exception {
		assertThat(TOOLS.resolve("prism")).as("run ./test.sh, which installs Prism and Redocly's CLI").exists();
		try (RunningService service = RunningService.start(this.work.resolve("data"),
				"--server.forward-headers-strategy=framework")) {
			TestApi api = service.api();
			// as a balancer in front of it would ask, so that the servers it names are
			// real
			TestApi.Response docs = api.get("/v3/api-docs",
					Map.of("X-Forwarded-Host", "telemetry.internal", "X-Forwarded-Proto", "https"));
			Path spec = this.work.resolve("openapi.json");
			Files.writeString(spec, docs.body());

			Run lint = run(TOOLS.resolve("redocly").toString(), "lint", spec.toString(), "--format=summary");
			System.out.println("redocly lint: " + lint.output()
				.lines()
				.filter((line) -> line.contains("valid") || line.contains("warning") || line.contains("error"))
				.toList());
			assertThat(lint.exitCode()).as(lint.output()).isZero();
			assertThat(lint.output()).as(lint.output()).doesNotContainPattern("(?i)\\d+ warnings?");

			int port = freePort();
			Process prism = new ProcessBuilder(TOOLS.resolve("prism").toString(), "proxy", spec.toString(),
					"http://127.0.0.1:" + service.port(), "--errors", "--port", String.valueOf(port))
				.redirectErrorStream(true)
				.redirectOutput(this.work.resolve("prism.log").toFile())
				.start();
			try {
				assertEveryAnswerAsDocumented("http://127.0.0.1:" + port);
			}
			finally {
				prism.destroy();
				prism.waitFor(10, TimeUnit.SECONDS);
			}
		}
	}

	private void assertEveryAnswerAsDocumented(String prism) throws Exception {
		HttpClient http = HttpClient.newHttpClient();
		await().atMost(Duration.ofMinutes(1))
			.ignoreExceptions()
			.until(() -> http
				.send(HttpRequest.newBuilder(URI.create(prism + "/stats")).build(),
						HttpResponse.BodyHandlers.discarding())
				.statusCode() == 200);
		List<String> answered = new ArrayList<>();
		String created = send(http, answered, "POST", prism + "/spawns",
				"{\"task\":\"fix the parser\",\"caste\":\"builder\",\"model\":\"kimi-k2.5\",\"source\":\"task-based\"}",
				201);
		String id = TestApi.parse(created).get("spawn_id").asString();
		send(http, answered, "POST", prism + "/spawns",
				"{\"spawn_id\":\"colony-7:scout.1\",\"caste\":\"scout\",\"model\":\"glm-5\"}", 201);
		send(http, answered, "POST", prism + "/spawns",
				"{\"spawn_id\":\"colony-7:scout.1\",\"caste\":\"scout\",\"model\":\"glm-5\"}", 200);
		send(http, answered, "POST", prism + "/spawns",
				"{\"spawn_id\":\"colony-7:scout.1\",\"caste\":\"oracle\",\"model\":\"glm-5\"}", 409);
		send(http, answered, "POST", prism + "/spawns/" + id + "/usage", "{\"tokens\":5,\"tools\":{\"read\":1}}", 200);
		send(http, answered, "PUT", prism + "/spawns/" + id + "/outcome", "{\"outcome\":\"completed\",\"tokens\":3}",
				200);
		send(http, answered, "PUT", prism + "/spawns/" + id + "/outcome", "{\"outcome\":\"failed\"}", 409);
		send(http, answered, "PUT", prism + "/spawns/nobody/outcome", "{\"outcome\":\"failed\"}", 404);
		for (String read : List.of("/spawns/" + id, "/spawns/colony-7:scout.1", "/spawns?caste=builder", "/stats",
				"/stats/models/kimi-k2.5", "/stats/routing", "/stats/routing?days=7&caste=scout", "/stats/ranking",
				"/stats/castes/builder", "/stats/trends", "/stats/trends?bucket=hour&caste=builder&model=kimi-k2.5",
				"/recommendations?caste=builder&min_resolved=1", "/recommendations?caste=builder&days=30")) {
			send(http, answered, "GET", prism + read, null, 200);
		}
		for (String missing : List.of("/spawns/nobody", "/stats/models/nobody", "/stats/castes/nobody",
				"/recommendations?caste=nobody")) {
			send(http, answered, "GET", prism + missing, null, 404);
		}
		System.out.println("Prism found these answers as documented: " + answered);
	}

	/** Sends through Prism; its violations come back in the sl-violations header. */
	private static String send(HttpClient http, List<String> answered, String method, String url, String body,
			int status) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/json");
		request = (body != null) ? request.header("Content-Type", "application/json")
			.method(method, HttpRequest.BodyPublishers.ofString(body)) : request.GET();
		HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		String what = method + " " + URI.create(url).getRawPath();
		assertThat(response.headers().firstValue("sl-violations")).as(what + ": " + response.body()).isEmpty();
		assertThat(response.statusCode()).as(what + ": " + response.body()).isEqualTo(status);
		answered.add(what + " " + status);
		return response.body();
	}

	private Run run(String... command) throws IOException, InterruptedException {
		Path output = this.work.resolve("output-" + System.nanoTime());
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
		assertThat(process.waitFor(2, TimeUnit.MINUTES)).as(String.join(" ", command)).isTrue();
		return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private record Run(int exitCode, String output) {

	}

}
