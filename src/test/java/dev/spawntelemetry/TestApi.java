package dev.spawntelemetry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
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

	private final @Nullable String token;

	public TestApi(int port) {
		this("http://localhost:" + port, null);
	}

	private TestApi(String base, @Nullable String token) {
		this.base = base;
		this.token = token;
	}

	/** The same API, every request bearing {@code Authorization: Bearer <token>}. */
	public TestApi withToken(String token) {
		return new TestApi(this.base, token);
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

	/** A POST of raw bytes, such as a compressed body, with the given headers. */
	public Response postBytes(String path, byte[] body, Map<String, String> headers) {
		HttpRequest.Builder request = request(path).POST(HttpRequest.BodyPublishers.ofByteArray(body));
		headers.forEach(request::header);
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

	/**
	 * A GET whose request target is sent byte for byte as given, such as a malformed
	 * {@code %} escape that {@link URI} would refuse to build.
	 */
	public Response rawGet(String target) {
		return raw("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
	}

	/**
	 * A request sent byte for byte as given (ISO-8859-1), such as one {@link HttpClient}
	 * would refuse to send; it should ask for {@code Connection: close}.
	 */
	public Response raw(String request) {
		URI base = URI.create(this.base);
		try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
			socket.setSoTimeout((int) TIMEOUT.toMillis());
			socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
			String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
			int headersEnd = answer.indexOf("\r\n\r\n");
			String[] lines = answer.substring(0, headersEnd).split("\r\n");
			Map<String, List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
			for (int i = 1; i < lines.length; i++) {
				int colon = lines[i].indexOf(':');
				headers.computeIfAbsent(lines[i].substring(0, colon).trim(), (name) -> new java.util.ArrayList<>())
					.add(lines[i].substring(colon + 1).trim());
			}
			String body = answer.substring(headersEnd + 4);
			if ("chunked".equalsIgnoreCase(String.join(",", headers.getOrDefault("Transfer-Encoding", List.of())))) {
				body = dechunk(body);
			}
			return new Response(Integer.parseInt(lines[0].split(" ")[1]), HttpHeaders.of(headers, (a, b) -> true),
					body);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String dechunk(String chunked) {
		StringBuilder body = new StringBuilder();
		int at = 0;
		while (true) {
			int lineEnd = chunked.indexOf("\r\n", at);
			int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
			if (size == 0) {
				return body.toString();
			}
			body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
			at = lineEnd + 2 + size + 2;
		}
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
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path)).timeout(TIMEOUT);
		if (this.token != null) {
			request.header("Authorization", "Bearer " + this.token);
		}
		return request;
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
