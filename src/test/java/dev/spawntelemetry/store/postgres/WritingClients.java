package dev.spawntelemetry.store.postgres;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.spawntelemetry.Json;
import dev.spawntelemetry.TestApi;

/**
 * Clients that record spawns as fast as the service answers, each answer sorted by its
 * verdict: acknowledged (201), refused (a 503 problem with Retry-After), of unknown
 * outcome (such a 503 that says so), or unexpected (anything else).
 */
final class WritingClients implements AutoCloseable {

	final Set<String> acknowledged = ConcurrentHashMap.newKeySet();

	final Set<String> refused = ConcurrentHashMap.newKeySet();

	final Set<String> unknown = ConcurrentHashMap.newKeySet();

	final Set<String> unexpected = ConcurrentHashMap.newKeySet();

	/** The detail of every refusal, once each. */
	final Set<String> refusalDetails = ConcurrentHashMap.newKeySet();

	final AtomicLong slowestRefusalMillis = new AtomicLong();

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final ExecutorService threads;

	private final List<Future<?>> work = new ArrayList<>();

	private WritingClients(TestApi api, int clients, String task) {
		this.threads = Executors.newFixedThreadPool(clients);
		for (int client = 0; client < clients; client++) {
			int id = client;
			this.work.add(this.threads.submit(() -> {
				for (int n = 0; this.running.get(); n++) {
					write(api, "c" + id + "-" + n, task);
				}
			}));
		}
	}

	static WritingClients start(TestApi api, int clients, String task) {
		return new WritingClients(api, clients, task);
	}

	/** Stops the clients once their writes in flight are answered. */
	@Override
	public void close() throws Exception {
		this.running.set(false);
		for (Future<?> client : this.work) {
			client.get();
		}
		this.threads.shutdown();
	}

	private void write(TestApi api, String id, String task) {
		long started = System.nanoTime();
		TestApi.Response response = api.post("/spawns",
				Json.object("spawn_id", id, "caste", "builder", "model", "glm-5", "task", task));
		long millis = (System.nanoTime() - started) / 1_000_000;
		if (response.status() == 201) {
			this.acknowledged.add(id);
		}
		else if (response.status() == 503 && response.header("Retry-After") != null
				&& response.contentType().startsWith("application/problem+json")) {
			String detail = response.json().get("detail").asString();
			(detail.contains("is not known") ? this.unknown : this.refused).add(id);
			this.refusalDetails.add(detail);
			this.slowestRefusalMillis.accumulateAndGet(millis, Math::max);
		}
		else {
			this.unexpected.add(id + ": " + response.status() + " " + response.body());
		}
	}

}
