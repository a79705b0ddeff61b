package dev.spawntelemetry.store.file;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.spawntelemetry.ServiceTest;
import dev.spawntelemetry.TestApi;
import dev.spawntelemetry.TestApi.Response;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The writer's answer is the only answer: a persist that stalls for longer than the web
 * layer's own limit still answers its write with the truth once it ends, and a writer
 * that dies leaves no replica that looks alive and can never write.
 */
@Import(GatedStore.Installed.class)
@ServiceTest(properties = { "spring.mvc.async.request-timeout=1s", "telemetry.writer.timeout=3s" })
@DirtiesContext
class WriterAnswersIT {

	@Autowired
	TestApi api;

	@Autowired
	GatedStore store;

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
