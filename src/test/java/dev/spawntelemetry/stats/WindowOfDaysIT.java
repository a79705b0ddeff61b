package dev.spawntelemetry.stats;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.spawntelemetry.ServiceTest;
import dev.spawntelemetry.TestApi;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A window of days within the hourly history is exactly the spawns of its whole hours,
 * however it is read: the same counts, per source and per model, and the same first and
 * last hour, as the test computes from the spawns it sent.
 */
@ServiceTest
class WindowOfDaysIT {

	@Autowired
	TestApi api;

	@Test
	void aWindowOfDaysCountsEverySpawnOfItsWholeHoursAndStatesItsFirstAndLastHour() {
		Instant now = Instant.now();
		Random random = new Random(7);
		List<Sent> sent = new ArrayList<>();
		// the window's first and last days are partial unless the clock sits on the hour;
		// spawns avoid the current hour's edge and the first hour, which a slow test
		// could
		// see move
		for (int i = 0; i < 120; i++) {
			Instant at = now.minus(Duration.ofMinutes(90 + random.nextInt(7 * 24 * 60 - 180)))
				.truncatedTo(ChronoUnit.SECONDS);
			String model = "window-model-" + random.nextInt(3);
			String source = "source-" + random.nextInt(2);
			sent.add(new Sent(at, model, source));
			assertThat(this.api
				.post("/spawns",
						"{\"caste\":\"window-caste\",\"model\":\"" + model + "\",\"source\":\"" + source
								+ "\",\"timestamp\":\"" + at + "\"}")
				.status()).isEqualTo(201);
		}
		Instant outside = now.minus(Duration.ofDays(8));
		this.api.post("/spawns", "{\"caste\":\"window-caste\",\"model\":\"window-model-0\",\"source\":\"source-0\","
				+ "\"timestamp\":\"" + outside + "\"}");

		JsonNode routing = this.api.get("/stats/routing?days=7&caste=window-caste").json();

		Instant from = Instant.parse(routing.get("window").get("from").asString());
		List<Sent> inWindow = sent.stream().filter((spawn) -> !spawn.at().isBefore(from)).toList();
		Map<String, Long> byModel = new TreeMap<>();
		Map<String, Long> bySource = new TreeMap<>();
		inWindow.forEach((spawn) -> {
			byModel.merge(spawn.model(), 1L, Long::sum);
			bySource.merge(spawn.source(), 1L, Long::sum);
		});
		assertThat(routing.get("total_decisions").asLong()).isEqualTo(inWindow.size());
		assertThat(counts(routing.get("by_model"))).isEqualTo(byModel);
		assertThat(counts(routing.get("by_source"))).isEqualTo(bySource);
		Instant first = inWindow.stream().map(Sent::at).min(Instant::compareTo).orElseThrow();
		Instant last = inWindow.stream().map(Sent::at).max(Instant::compareTo).orElseThrow();
		assertThat(Instant.parse(routing.get("date_range").get("earliest").asString()))
			.isEqualTo(first.truncatedTo(ChronoUnit.HOURS));
		assertThat(Instant.parse(routing.get("date_range").get("latest").asString()))
			.isEqualTo(last.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1)));
	}

	@Test
	void aWindowWhoseSpawnsAllLieOnWholeDaysStatesTheirFirstAndLastHourNotTheDays() {
		Instant day = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(3));
		for (Instant at : List.of(day.plus(Duration.ofMinutes(10 * 60 + 15)),
				day.plus(Duration.ofMinutes(14 * 60 + 40)),
				day.plus(Duration.ofDays(1)).plus(Duration.ofMinutes(7 * 60 + 5)))) {
			assertThat(this.api
				.post("/spawns", "{\"caste\":\"middle-caste\",\"model\":\"m\",\"timestamp\":\"" + at + "\"}")
				.status()).isEqualTo(201);
		}

		JsonNode routing = this.api.get("/stats/routing?days=7&caste=middle-caste").json();

		assertThat(routing.get("total_decisions").asLong()).isEqualTo(3);
		assertThat(routing.get("date_range").get("earliest").asString())
			.isEqualTo(day.plus(Duration.ofHours(10)).toString());
		assertThat(routing.get("date_range").get("latest").asString())
			.isEqualTo(day.plus(Duration.ofDays(1)).plus(Duration.ofHours(8)).toString());
	}

	private static Map<String, Long> counts(JsonNode object) {
		Map<String, Long> counts = new TreeMap<>();
		object.properties().forEach((entry) -> counts.put(entry.getKey(), entry.getValue().asLong()));
		return counts;
	}

	private record Sent(Instant at, String model, String source) {

	}

}
