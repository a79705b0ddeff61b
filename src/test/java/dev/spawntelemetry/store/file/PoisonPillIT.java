package dev.spawntelemetry.store.file;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import dev.spawntelemetry.store.TelemetryWriter;
import dev.spawntelemetry.ServiceTest;
import dev.spawntelemetry.TestApi;
import dev.spawntelemetry.TestApi.Response;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A write that cannot be stored, in a batch with others: only it is refused, and the
 * others of its batch are committed without it.
 */
@Import(GatedStore.Installed.class)
@ServiceTest
class PoisonPillIT {

	static final int OTHERS = 40;

	static final String POISON = "cannot be written";

	@Autowired
	TestApi api;

	@Autowired
	GatedStore store;

	@Autowired
	TelemetryWriter writer;

	@Autowired
	MeterRegistry meters;

	@Autowired
	FileStorageProperties storage;

	@Test
	void refusesOnlyTheWriteThatCannotBeStored() throws Exception {
		this.store.cannotWrite((spawn) -> POISON.equals(spawn.task()));
		CompletableFuture<Response> first = this.store.stallWith(this.api, spawn("first", "t"));
		List<CompletableFuture<Response>> others = new ArrayList<>();
		for (int i = 0; i < OTHERS / 2; i++) {
			others.add(api.postAsync("/spawns", spawn("other-" + i, "t")));
		}
		CompletableFuture<Response> poisoned = api.postAsync("/spawns", spawn("poisoned", POISON));
		for (int i = OTHERS / 2; i < OTHERS; i++) {
			others.add(api.postAsync("/spawns", spawn("other-" + i, "t")));
		}
		await("every write queued behind the stalled one").atMost(Duration.ofMinutes(1))
			.until(this::queueDepth, (depth) -> depth == OTHERS + 1);

		this.store.resume();

		assertThat(first.get(1, TimeUnit.MINUTES).status()).isEqualTo(201);
		Response refused = poisoned.get(1, TimeUnit.MINUTES);
		assertThat(refused.status()).isEqualTo(500);
		assertThat(refused.json().get("detail").asString()).contains("nothing of this request was stored");
		for (CompletableFuture<Response> other : others) {
			assertThat(other.get(1, TimeUnit.MINUTES).status()).isEqualTo(201);
		}
		assertThat(api.get("/stats").json().get("total_spawns").asLong()).isEqualTo(OTHERS + 1);
		assertThat(api.get("/spawns/poisoned").status()).isEqualTo(404);
		String file = DurableState.json(this.storage.file());
		assertThat(file).contains("\"other-0\"", "\"other-" + (OTHERS - 1) + "\"").doesNotContain("poisoned");
		assertThat(api.post("/spawns", spawn("after", "t")).status()).isEqualTo(201);
	}

	private static String spawn(String id, String task) {
		return "{\"task\":\"" + task + "\",\"caste\":\"builder\",\"model\":\"kimi-k2.5\",\"spawn_id\":\"" + id + "\"}";
	}

	/** Writes waiting for the writer, as its gauge shows them. */
	private int queueDepth() {
		return (int) this.meters.get("spawn.telemetry.writer.queue.depth").gauge().value();
	}

}
