package dev.spawntelemetry.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.catalina.connector.Connector;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import dev.spawntelemetry.Json;
import dev.spawntelemetry.ServiceTest;
import dev.spawntelemetry.TestApi;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * While the service stops, Tomcat pauses its connector, and a request it had begun to
 * read is refused before it reaches the application. Tomcat sets 503 there, then, finding
 * no Host header in the headers it never parsed, overwrites it with 400: the client of a
 * well-formed write was told it was malformed, and a client that trusts a 4xx drops the
 * spawn. The answer must say what happened: 503, nothing applied, retry. Pausing and
 * resuming the real connector under keep-alive load reaches that moment.
 */
@ServiceTest
class StoppingAnswersIT {

	static final int CLIENTS = 16;

	static final int PAUSES = 150;

	@Autowired
	TestApi api;

	@Autowired
	ServletWebServerApplicationContext context;

	@LocalServerPort
	int port;

	final Set<String> wrongAnswers = ConcurrentHashMap.newKeySet();

	final AtomicLong answers = new AtomicLong();

	final Set<String> refusedSpawns = ConcurrentHashMap.newKeySet();

	@Test
	void refusesWhatItBeganToReadWhilePausedAsStoppingNeverAsMalformed() throws Exception {
		Connector connector = ((TomcatWebServer) this.context.getWebServer()).getTomcat().getConnector();
		ThreadPoolExecutor workers = (ThreadPoolExecutor) connector.getProtocolHandler().getExecutor();
		HttpClient client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(30))
			.build();
		ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
		AtomicBoolean running = new AtomicBoolean(true);
		for (int c = 0; c < CLIENTS; c++) {
			int clientNumber = c;
			clients.submit(() -> {
				for (int n = 0; running.get(); n++) {
					if (clientNumber % 2 == 0) {
						String spawnId = "stop-" + clientNumber + "-" + n;
						send(client, spawn(spawnId), spawnId);
					}
					else {
						send(client, stats(), null);
					}
				}
			});
		}
		try {
			for (int pause = 0; pause < PAUSES; pause++) {
				long before = this.answers.get();
				await("answers while the connector runs").atMost(Duration.ofMinutes(2))
					.pollInterval(Duration.ofMillis(1))
					.until(() -> this.answers.get() >= before + CLIENTS);
				connector.pause();
				try {
					// as when the service stops, the pause outlasts every request begun
					await("the requests begun before the pause answered").atMost(Duration.ofMinutes(2))
						.pollInterval(Duration.ofMillis(1))
						.until(() -> workers.getActiveCount() == 0);
				}
				finally {
					connector.resume(); // the service is shared with other tests
				}
			}
		}
		finally {
			running.set(false);
			clients.shutdown();
			assertThat(clients.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
		}
		System.out.printf("%d pauses: %d answers, %d spawns answered 503 'stopping'%n", PAUSES, this.answers.get(),
				this.refusedSpawns.size());
		assertThat(this.wrongAnswers).as("answers other than success or 'stopping, retry'").isEmpty();
		for (String spawnId : this.refusedSpawns) {
			assertThat(this.api.get("/spawns/" + spawnId).status())
				.as("%s, refused as stopping, is not stored", spawnId)
				.isEqualTo(404);
		}
		assertThat(this.api.post("/spawns", Json.object("spawn_id", "after-the-pauses", "model", "m")).status())
			.as("a write once the connector runs again")
			.isEqualTo(201);
	}

	private HttpRequest spawn(String spawnId) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/spawns"))
			.timeout(Duration.ofSeconds(60))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(Json.object("spawn_id", spawnId, "model", "m", "caste", "c")))
			.build();
	}

	private HttpRequest stats() {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/stats"))
			.timeout(Duration.ofSeconds(60))
			.build();
	}

	/** Sends a request, keeping the answer if it is not the truth. */
	private void send(HttpClient client, HttpRequest request, @Nullable String spawnId) {
		HttpResponse<String> response;
		try {
			response = client.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			return; // a connection the paused connector closed: nothing was answered
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		this.answers.incrementAndGet();
		int status = response.statusCode();
		if (status == 200 || status == 201) {
			return;
		}
		if (status == 503 && response.body().contains("urn:spawn-telemetry:problem:overloaded")
				&& response.body().contains("The service is stopping")
				&& response.headers().firstValue("Retry-After").isPresent()) {
			if (spawnId != null) {
				this.refusedSpawns.add(spawnId);
			}
			return;
		}
		this.wrongAnswers.add(request.method() + " " + request.uri().getPath() + ": " + status + " " + response.body());
	}

}
