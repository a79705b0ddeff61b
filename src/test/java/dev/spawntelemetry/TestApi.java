package dev.spawntelemetry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A plain HTTP client for the running service: what a spawner or a dashboard sends, and
 * what it gets back, with no Spring in between.
 */
public final class TestApi {

	private static final JsonMapper json = JsonMapper.builder().build();

	/**
	 * Generous: a machine two or three times slower than the developer's, or busy with
	 * other work, is not a failure.
	 */
	private static final Duration TIMEOUT = Duration.ofMinutes(2);

	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(TIMEOUT)
		.build();

	private final String base;

	public TestApi(int port) {
		this.base = "http://localhost:" + port;
	}

	public Response get(String path) {
		return send(request(path).GET());
	}

	public Response get(String path, Map<String, String> headers) {
		HttpRequest.Builder request = request(path).GET();
		headers.forEach(request::header);
		return send(request);
	}

	public Response post(String path, String body) {
		return send(request(path).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	/** A POST whose body is sent chunked, without a declared length. */
	public Response postChunked(String path, String body) {
		byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
		return send(request(path).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes))));
	}

	public Response send(String method, String path, String body, Map<String, String> headers) {
		HttpRequest.Builder request = request(path)
			.header("Content-Type", headers.getOrDefault("Content-Type", "application/json"))
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		headers.forEach((name, value) -> {
			if (!name.equals("Content-Type")) {
				request.header(name, value);
			}
		});
		return send(request);
	}

	public java.util.concurrent.CompletableFuture<Response> postAsync(String path, String body) {
		HttpRequest request = request(path).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		return this.client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
			.thenApply((response) -> new Response(response.statusCode(), response.headers(), response.body()));
	}

	public Response put(String path, String body) {
		return send(request(path).header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString(body)));
	}

	/** Records a spawn and returns its id, failing unless it was created. */
	public String recordSpawn(String caste, String model, String source) {
		Response response = post("/spawns", "{\"task\":\"t\",\"caste\":\"" + caste + "\",\"model\":\"" + model
				+ "\",\"source\":\"" + source + "\"}");
		if (response.status() != 201) {
			throw new AssertionError("Expected 201 but got " + response);
		}
		return response.json().get("spawn_id").asString();
	}

	/** Records an outcome, failing unless it was accepted. */
	public void recordOutcome(String spawnId, String outcome) {
		Response response = put("/spawns/" + spawnId + "/outcome", "{\"outcome\":\"" + outcome + "\"}");
		if (response.status() != 200) {
			throw new AssertionError("Expected 200 but got " + response);
		}
	}

	public static JsonNode parse(String content) {
		return json.readTree(content);
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create(this.base + path)).timeout(TIMEOUT);
	}

	private Response send(HttpRequest.Builder request) {
		try {
			HttpResponse<String> response = this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.headers(), response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * An answer of the service.
	 */
	public record Response(int status, HttpHeaders headers, String body) {

		public JsonNode json() {
			return parse(this.body);
		}

		public String contentType() {
			return this.headers.firstValue("Content-Type").orElse("");
		}

		public String header(String name) {
			return this.headers.firstValue(name).orElse(null);
		}

	}

}
