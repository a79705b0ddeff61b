package dev.spawntelemetry.store.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.spawntelemetry.telemetry.ModelStats;
import dev.spawntelemetry.telemetry.CasteStats;
import dev.spawntelemetry.telemetry.SpawnRecord;
import dev.spawntelemetry.telemetry.StorageUnavailableException;
import dev.spawntelemetry.telemetry.ToolUsage;
import dev.spawntelemetry.telemetry.TelemetrySnapshot;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class JsonFileStoreTests {

	private final Clock clock = Clock.fixed(Instant.parse("2026-05-01T12:00:00Z"), ZoneOffset.UTC);

	@TempDir
	Path dir;

	@Test
	void startsEmptyWithoutAFile() throws IOException {
		try (JsonFileStore store = store()) {
			assertThat(store.load().totalSpawns()).isZero();
			assertThat(store.load().decisions()).isEmpty();
		}
	}

	@Test
	void loadsWhatItPersisted() throws IOException {
		TelemetrySnapshot snapshot = snapshot(3);
		try (JsonFileStore store = store()) {
			store.checkpoint(snapshot);
		}

		try (JsonFileStore store = store()) {
			TelemetrySnapshot loaded = store.load();
			assertThat(loaded.models()).isEqualTo(snapshot.models());
			assertThat(loaded.decisions()).isEqualTo(snapshot.decisions());
		}
		assertThat(this.dir.resolve("telemetry.json.tmp")).doesNotExist();
	}

	@Test
	void keepsThePreviousFileWhenAPersistFails() throws IOException {
		try (JsonFileStore store = store()) {
			store.checkpoint(snapshot(1));
			byte[] before = Files.readAllBytes(this.dir.resolve("telemetry.json"));
			try (TempFileObstacle obstacle = TempFileObstacle.in(this.dir)) {
				assertThatExceptionOfType(StorageUnavailableException.class)
					.isThrownBy(() -> store.checkpoint(snapshot(2)))
					.satisfies((ex) -> assertThat(ex.storageCause()).contains("telemetry.json"));
				assertThat(Files.readAllBytes(this.dir.resolve("telemetry.json"))).isEqualTo(before);
			}
			store.checkpoint(snapshot(2));
			assertThat(store.load().totalSpawns()).isEqualTo(2);
		}
	}

	@Test
	void movesAnUnreadableFileAsideWithoutOverwritingEarlierOnes() throws IOException {
		Path file = this.dir.resolve("telemetry.json");
		Path earlier = this.dir.resolve("telemetry.json.corrupt-20260101T000000.000Z");
		Files.writeString(earlier, "earlier");
		Files.writeString(file, "garbage");

		try (JsonFileStore store = store()) {
			assertThat(store.load().totalSpawns()).isZero();
			Path aside = this.dir.resolve("telemetry.json.corrupt-20260501T120000.000Z");
			assertThat(aside).hasContent("garbage");
			assertThat(earlier).hasContent("earlier");
			assertThat(file).doesNotExist();
			assertThat(store.quarantined()).containsExactly(earlier, aside);
		}
	}

	@Test
	void refusesASecondStoreOnTheSameDirectoryUntilTheFirstCloses() throws IOException {
		JsonFileStore first = store();

		assertThatExceptionOfType(DataDirectory.InUseException.class).isThrownBy(this::store)
			.withMessageContaining(this.dir.toString());

		first.close();
		store().close();
	}

	private JsonFileStore store() {
		return new JsonFileStore(
				new FileStorageProperties(this.dir, true, DataSize.ofMegabytes(4), java.time.Duration.ofDays(30),
						50_000),
				1000, new dev.spawntelemetry.telemetry.Limits(1000, 200),
				dev.spawntelemetry.telemetry.HistoryProperties.DEFAULTS, this.clock);
	}

	private TelemetrySnapshot snapshot(int spawns) {
		List<SpawnRecord> decisions = new java.util.ArrayList<>();
		for (int i = 0; i < spawns; i++) {
			decisions.add(new SpawnRecord("s" + i, this.clock.instant(), "t", "builder", "m", "task-based", null, null,
					i, ToolUsage.NONE));
		}
		return new TelemetrySnapshot(1, this.clock.instant(),
				Map.of("m", new ModelStats(spawns, 0, 0, 0, Map.of("builder", new CasteStats(spawns, 0, 0, 0)))),
				decisions);
	}

}
