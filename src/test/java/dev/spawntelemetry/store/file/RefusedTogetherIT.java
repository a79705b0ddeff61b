package dev.spawntelemetry.store.file;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import dev.spawntelemetry.ServiceTest;
import dev.spawntelemetry.TestApi;
import dev.spawntelemetry.TestApi.Response;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Writes refused together, for one failure of the disk, each get an answer of their own:
 * the problem names the request it answers, not another one of the batch.
 */
@Import(GatedStore.Installed.class)
@ServiceTest
class RefusedTogetherIT {

	@Autowired
	TestApi api;

	@Autowired
	GatedStore store;

	@Autowired
	FileStorageProperties storage;

	@Autowired
	MeterRegistry meters;

	@Test
	void eachRefusedWriteNamesItsOwnRequest() throws Exception {
		for (String id : new String[] { "a", "b" }) {
			assertThat(
					api.post("/spawns", "{\"caste\":\"builder\",\"model\":\"m\",\"spawn_id\":\"" + id + "\"}").status())
				.isEqualTo(201);
		}
		CompletableFuture<Response> stalled = this.store.stallWith(this.api, "{\"caste\":\"builder\",\"model\":\"m\"}");
		// a thread each: the common pool may have one thread only, and each PUT waits
		// for its answer until the writer resumes
		ExecutorService clients = Executors.newFixedThreadPool(2);
		try (TempFileObstacle obstacle = TempFileObstacle.in(this.storage.dir())) {
			CompletableFuture<Response> a = putAsync(api, "/spawns/a/outcome", clients);
			CompletableFuture<Response> b = putAsync(api, "/spawns/b/outcome", clients);
			await().atMost(java.time.Duration.ofMinutes(1)).until(() -> queueDepth() == 2);
			this.store.resume();
			assertThat(stalled.get(1, TimeUnit.MINUTES).status()).isEqualTo(503);
			Response refusedA = a.get(1, TimeUnit.MINUTES);
			Response refusedB = b.get(1, TimeUnit.MINUTES);

			assertThat(refusedA.status()).isEqualTo(503);
			assertThat(refusedB.status()).isEqualTo(503);
			assertThat(refusedA.json().get("instance").asString()).isEqualTo("/spawns/a/outcome");
			assertThat(refusedB.json().get("instance").asString()).isEqualTo("/spawns/b/outcome");
		}
		finally {
			// never leave the writer stalled for the tests that come after
			this.store.resume();
			clients.shutdownNow();
		}
	}

	private static CompletableFuture<Response> putAsync(TestApi api, String path, ExecutorService clients) {
		return CompletableFuture.supplyAsync(() -> api.put(path, "{\"outcome\":\"completed\"}"), clients);
	}

	/** Writes waiting for the writer, as its gauge shows them. */
	private int queueDepth() {
		return (int) this.meters.get("spawn.telemetry.writer.queue.depth").gauge().value();
	}

}
