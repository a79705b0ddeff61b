package dev.spawntelemetry.store.file;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;

import dev.spawntelemetry.ServiceTest;
import dev.spawntelemetry.TestApi;
import dev.spawntelemetry.TestApi.Response;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.annotation.DirtiesContext.ClassMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The writer's answer is the only answer: a persist that stalls for longer than the web
 * layer's own limit still answers its write with the truth once it ends, and a writer
 * that dies leaves no replica that looks alive and can never write.
 */
@Import(GatedStore.Installed.class)
@ServiceTest(properties = { "spring.mvc.async.request-timeout=1s", "telemetry.writer.timeout=3s" })
@DirtiesContext(classMode = ClassMode.AFTER_EACH_TEST_METHOD)
class WriterAnswersIT {

	@Autowired
	TestApi api;

	@Autowired
	GatedStore store;

	@Autowired
	ServletWebServerApplicationContext context;

	@LocalServerPort
	int port;

	/**
	 * The answer is written from the writer's completion, outside the servlet pipeline: a
	 * client that hangs up before it comes must neither lose its write nor leave its
	 * request open, which would hold a graceful stop for its whole grace period.
	 */
	@Test
	void aClientThatHangsUpWhileItsWriteWaitsLosesNothingAndLeavesNoRequestOpen() throws Exception {
		this.store.stall();
		String body = spawn("hung-up");
		try (Socket client = new Socket("127.0.0.1", this.port)) {
			client.getOutputStream()
				.write(("POST /spawns HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
						+ "Content-Length: " + body.length() + "\r\n\r\n" + body)
					.getBytes(StandardCharsets.US_ASCII));
			assertThat(this.store.stalled.await(1, TimeUnit.MINUTES)).as("the writer reached the gate").isTrue();
			await().atMost(Duration.ofMinutes(1)).until(() -> openRequests() == 1);
		}
		finally {
			this.store.resume();
		}

		await().atMost(Duration.ofMinutes(1)).until(() -> api.get("/spawns/hung-up").status() == 200);
		await().atMost(Duration.ofMinutes(1)).until(() -> openRequests() == 0);
		assertThat(api.post("/spawns", spawn("next")).status()).isEqualTo(201);
		assertThat(api.get("/stats").json().get("total_spawns").asLong()).isEqualTo(2);
	}

	/** Requests whose asynchronous answer has not ended. */
	private long openRequests() {
		Tomcat tomcat = ((TomcatWebServer) this.context.getWebServer()).getTomcat();
		return ((StandardContext) tomcat.getHost().findChildren()[0]).getInProgressAsyncCount();
	}

	@Test
	void aTakenWriteIsAnsweredByItsCommitHoweverLongTheDiskStalls() throws Exception {
		CompletableFuture<Response> taken = this.store.stallWith(this.api, spawn("taken"));
		CompletableFuture<Response> queued = api.postAsync("/spawns", spawn("queued"));

		// the queued write's own timeout (3 s) comes after the web layer's limit (1 s)
		Response expired = queued.get(1, TimeUnit.MINUTES);
		assertThat(expired.status()).isEqualTo(503);
		assertThat(expired.header("Retry-After")).isNotBlank();
		assertThat(expired.json().get("detail").asString()).contains("not applied");
		assertThat(taken).as("a write being persisted is answered by its persist alone").isNotDone();

		this.store.resume();

		assertThat(taken.get(1, TimeUnit.MINUTES).status()).isEqualTo(201);
		assertThat(api.get("/spawns/taken").status()).isEqualTo(200);
		assertThat(api.get("/spawns/queued").status()).isEqualTo(404);

		// then the writer dies, as an OutOfMemoryError would kill it
		this.store.dieOnPersist();
		Response killed = api.post("/spawns", spawn("killed"));
		assertThat(killed.status()).isEqualTo(503);
		assertThat(killed.header("Retry-After")).isNotBlank();
		assertThat(killed.json().get("detail").asString()).contains("not known");
		Response after = api.post("/spawns", spawn("after"));
		assertThat(after.status()).isEqualTo(503);
		assertThat(after.header("Retry-After")).isNotBlank();
		assertThat(after.json().get("detail").asString()).contains("restarted");
		await().atMost(Duration.ofMinutes(1))
			.until(() -> api.get("/actuator/health/liveness").status() == 503
					&& api.get("/actuator/health/readiness").status() == 503);
		assertThat(api.get("/stats").json().get("total_spawns").asLong()).isEqualTo(1);
	}

	private static String spawn(String id) {
		return "{\"caste\":\"builder\",\"model\":\"kimi-k2.5\",\"spawn_id\":\"" + id + "\"}";
	}

}
