package dev.spawntelemetry.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.spawntelemetry.RunningService;
import dev.spawntelemetry.TestApi;
import dev.spawntelemetry.TestApi.Response;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusIT {

	@TempDir
	Path dataDirectory;

	@Test
	void countsDurableWritesExactlyOnceEach() {
		try (RunningService service = RunningService.start(this.dataDirectory)) {
			TestApi api = service.api();
			String first = spawn(api, "s-1");
			spawn(api, "s-1");
			String second = spawn(api, "s-2");
			spawn(api, "s-3");
			api.put("/spawns/" + first + "/outcome", "{\"outcome\":\"completed\",\"tokens\":100}");
			api.put("/spawns/" + first + "/outcome", "{\"outcome\":\"completed\",\"tokens\":100}");
			api.put("/spawns/" + second + "/outcome", "{\"outcome\":\"failed\",\"tokens\":40}");
			api.post("/spawns/" + second + "/usage", "{\"tokens\":2}");
			api.put("/spawns/" + second + "/outcome", "{\"outcome\":\"completed\"}");

			Response scrape = api.get("/actuator/prometheus");

			assertThat(scrape.status()).isEqualTo(200);
			String metrics = scrape.body();
			assertThat(sample(metrics, "spawn_telemetry_spawns_total", "caste=\"builder\",model=\"kimi-k2.5\""))
				.isEqualTo(3.0);
			assertThat(sample(metrics, "spawn_telemetry_outcomes_total",
					"caste=\"builder\",model=\"kimi-k2.5\",outcome=\"completed\""))
				.isEqualTo(1.0);
			assertThat(sample(metrics, "spawn_telemetry_outcomes_total",
					"caste=\"builder\",model=\"kimi-k2.5\",outcome=\"failed\""))
				.isEqualTo(1.0);
			assertThat(sample(metrics, "spawn_telemetry_tokens_total", "caste=\"builder\",model=\"kimi-k2.5\""))
				.isEqualTo(142.0);
			assertThat(sample(metrics, "spawn_telemetry_spawn_duration_seconds_count",
					"caste=\"builder\",model=\"kimi-k2.5\",outcome=\"completed\""))
				.isEqualTo(1.0);
			assertThat(sample(metrics, "spawn_telemetry_spawn_duration_seconds_bucket",
					"caste=\"builder\",model=\"kimi-k2.5\",outcome=\"completed\",le=\"60.0\""))
				.isEqualTo(1.0);
			assertThat(sample(metrics, "spawn_telemetry_spawn_duration_seconds_bucket",
					"caste=\"builder\",model=\"kimi-k2.5\",outcome=\"completed\",le=\"15.0\""))
				.isEqualTo(0.0);
			assertThat(metrics).contains("spawn_telemetry_writer_batch_size_count")
				.contains("spawn_telemetry_writer_persist_seconds_count")
				.contains("spawn_telemetry_writer_persist_failures_total 0.0")
				.contains("spawn_telemetry_writer_queue_depth");
		}
	}

	/**
	 * Series grow only with models x castes, which telemetry.limits bound: a new source
	 * makes none, and one model x caste with every outcome makes the number
	 * docs/operations.md states for the worst case.
	 */
	@Test
	void boundsTheNumberOfSeriesByTheLimits() {
		try (RunningService service = RunningService.start(this.dataDirectory)) {
			TestApi api = service.api();
			String[] outcomes = { "completed", "failed", "blocked" };
			for (int i = 0; i < 5; i++) {
				String id = "src-" + i;
				api.post("/spawns", "{\"caste\":\"builder\",\"model\":\"glm-5\",\"source\":\"random-source-"
						+ java.util.UUID.randomUUID() + "\",\"spawn_id\":\"" + id + "\"}");
				api.put("/spawns/" + id + "/outcome", "{\"outcome\":\"" + outcomes[i % 3] + "\",\"tokens\":1}");
			}
			String metrics = api.get("/actuator/prometheus").body();

			assertThat(metrics).doesNotContain("random-source-");
			long series = metrics.lines()
				.filter((line) -> line.startsWith("spawn_telemetry_") && line.contains("model=\"glm-5\""))
				.count();
			assertThat(series).as("series of one model x caste with every outcome").isEqualTo(SERIES_PER_CELL);
		}
	}

	/** As the metrics section of docs/operations.md states it. */
	private static final long SERIES_PER_CELL = 53;

	@Test
	void feedsEveryMetricTheGrafanaDashboardQueries() throws Exception {
		try (RunningService service = RunningService.start(this.dataDirectory)) {
			TestApi api = service.api();
			api.put("/spawns/" + spawn(api, "d-1") + "/outcome", "{\"outcome\":\"completed\",\"tokens\":1}");
			String metrics = api.get("/actuator/prometheus").body();

			String dashboard = Files.readString(Path.of("deploy/grafana/spawn-telemetry-dashboard.json"));
			Set<String> queried = new TreeSet<>();
			Matcher names = Pattern.compile("spawn_telemetry_[a-z_]+").matcher(dashboard);
			while (names.find()) {
				queried.add(names.group());
			}
			assertThat(queried).hasSizeGreaterThan(5)
				.allSatisfy((name) -> assertThat(metrics).as(name).containsPattern("(?m)^" + name + "[{ ]"));
		}
	}

	private static String spawn(TestApi api, String id) {
		api.post("/spawns", "{\"caste\":\"builder\",\"model\":\"kimi-k2.5\",\"source\":\"task-based\",\"spawn_id\":\""
				+ id + "\",\"timestamp\":\"" + java.time.Instant.now().minusSeconds(30) + "\"}");
		return id;
	}

	private static double sample(String metrics, String name, String labels) {
		Matcher sample = Pattern.compile("(?m)^" + Pattern.quote(name + "{" + labels) + "[^}]*} (\\S+)$")
			.matcher(metrics);
		assertThat(sample.find()).as(name + "{" + labels + "} in\n" + metrics).isTrue();
		return Double.parseDouble(sample.group(1));
	}

}
