package dev.spawntelemetry.store.file;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.spawntelemetry.telemetry.MutableClock;
import dev.spawntelemetry.telemetry.NewSpawn;
import dev.spawntelemetry.telemetry.Outcome;
import dev.spawntelemetry.telemetry.Limits;
import dev.spawntelemetry.telemetry.TelemetrySnapshot;
import dev.spawntelemetry.telemetry.ToolUsage;
import dev.spawntelemetry.telemetry.Usage;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The journal on a real file system: what a crash leaves at any moment (copied aside
 * while the store runs, as the disk holds it) recovers to exactly the state committed, a
 * torn tail is cut, a corrupt middle is set aside, and a persist costs what its batch
 * changed.
 */
class JournalRecoveryTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T12:00:00Z"));

	@TempDir
	Path dir;

	@TempDir
	Path crashed;

	private JsonFileStore store;

	private TelemetrySnapshot published;

	@AfterEach
	void close() throws IOException {
		if (this.store != null) {
			this.store.close();
		}
	}

	@Test
	void aCrashAfterAnyBatchRecoversExactlyWhatWasCommitted() throws IOException {
		open(this.dir, DataSize.ofMegabytes(4));
		spawnAndEnd("first", 0);
		byte[] firstCheckpoint = Files.readAllBytes(this.dir.resolve("telemetry.json"));
		for (int i = 0; i < 40; i++) {
			spawnAndEnd("s" + i, i);
			assertThat(recoveredFromACrashNow()).as("after batch " + i).isEqualTo(view(this.published));
		}
		assertThat(this.dir.resolve("telemetry.json")).as("no checkpoint since the first: every batch only appended")
			.hasBinaryContent(firstCheckpoint);
	}

	@Test
	void aCrashDuringOrAfterACheckpointRecoversExactlyWhatWasCommitted() throws IOException {
		open(this.dir, DataSize.ofBytes(2048));
		for (int i = 0; i < 60; i++) {
			spawnAndEnd("s" + i, i);
			assertThat(recoveredFromACrashNow()).as("after batch " + i).isEqualTo(view(this.published));
		}
		assertThat(this.dir.resolve("telemetry.json")).exists();
		// a checkpoint comes once the journal holds checkpoint-after or as many bytes as
		// the
		// file, whichever is more; 120 batches without one would be some 70 KB
		long threshold = Math.max(2048, Files.size(this.dir.resolve("telemetry.json")));
		for (String journal : new String[] { JsonFileStore.JOURNAL, JsonFileStore.SEALED_JOURNAL }) {
			Path file = this.dir.resolve(journal);
			assertThat(Files.exists(file) ? Files.size(file) : 0).as(journal + ": emptied by checkpoints")
				.isLessThan(threshold + 4096);
		}
	}

	/**
	 * A checkpoint in the background seals the journal, writes the file and then deletes
	 * the sealed journal; a crash can come between any two of these steps. Spawns and
	 * outcomes (each a batch) and the time buckets come back exactly once.
	 */
	@Test
	void aCrashAnywhereInABackgroundCheckpointRecoversEveryBatchOnce() throws IOException {
		open(this.dir, DataSize.ofMegabytes(4));
		for (int i = 0; i < 3; i++) {
			spawnAndEnd("s" + i, i);
		}
		Path journal = this.dir.resolve(JsonFileStore.JOURNAL);
		List<String> sealedLines = Files.readAllLines(journal);
		byte[] fileBeforeCheckpoint = Files.readAllBytes(this.dir.resolve("telemetry.json"));
		this.store.checkpoint(this.published);
		for (int i = 3; i < 5; i++) {
			spawnAndEnd("s" + i, i);
		}
		List<String> expected = view(this.published);
		String buckets = buckets(this.store);

		// sealed, the file not yet replaced
		crashInto(this.crashed);
		Files.write(this.crashed.resolve(JsonFileStore.SEALED_JOURNAL), sealedLines);
		Files.write(this.crashed.resolve("telemetry.json"), fileBeforeCheckpoint);
		assertRecoversOnce(expected, buckets);
		// the file replaced, the sealed journal not yet deleted
		crashInto(this.crashed);
		Files.write(this.crashed.resolve(JsonFileStore.SEALED_JOURNAL), sealedLines);
		assertRecoversOnce(expected, buckets);
	}

	private void assertRecoversOnce(List<String> expected, String buckets) throws IOException {
		try (JsonFileStore recovered = store(this.crashed, DataSize.ofMegabytes(4))) {
			assertThat(view(recovered.load())).isEqualTo(expected);
			assertThat(buckets(recovered)).isEqualTo(buckets);
			assertThat(this.crashed.resolve(JsonFileStore.SEALED_JOURNAL)).as("held by the checkpoint made at recovery")
				.doesNotExist();
		}
	}

	private static String buckets(JsonFileStore store) {
		java.util.Map<String, String> cells = new java.util.TreeMap<>();
		store.buckets().forEach((cell, stats) -> cells.put(cell.toString(), stats.toString()));
		return cells.toString();
	}

	@Test
	void batchesAlreadyInTheCheckpointAreNotAppliedTwice() throws IOException {
		open(this.dir, DataSize.ofMegabytes(4));
		for (int i = 0; i < 5; i++) {
			spawnAndEnd("s" + i, i);
		}
		Path journal = this.dir.resolve(JsonFileStore.JOURNAL);
		byte[] beforeCheckpoint = Files.readAllBytes(journal);
		this.store.checkpoint(this.published);
		// a crash after the checkpoint replaced the file and before the journal was
		// emptied
		Files.write(journal, beforeCheckpoint);

		assertThat(recoveredFromACrashNow()).isEqualTo(view(this.published));
	}

	@Test
	void cutsATornTailAndReportsIt() throws IOException {
		open(this.dir, DataSize.ofMegabytes(4));
		for (int i = 0; i < 3; i++) {
			spawnAndEnd("s" + i, i);
		}
		List<String> expected = view(this.published);
		crashInto(this.crashed);
		Path journal = this.crashed.resolve(JsonFileStore.JOURNAL);
		long good = Files.size(journal);
		Files.writeString(journal, "0badc0de {\"seq\":7,\"models\":{\"m\":{\"total_sp", StandardOpenOption.APPEND);

		try (JsonFileStore recovered = store(this.crashed, DataSize.ofMegabytes(4))) {
			assertThat(view(recovered.load())).isEqualTo(expected);
			assertThat(recovered.recoveryFindings()).containsOnlyKeys(FileRecovery.TORN_TAIL);
			assertThat(recovered.recoveryFindings().get(FileRecovery.TORN_TAIL)).contains("torn tail");
			assertThat(Files.size(journal)).isEqualTo(good);
		}
	}

	@Test
	void setsACorruptMiddleAsideAndKeepsTheBatchesBeforeIt() throws IOException {
		open(this.dir, DataSize.ofMegabytes(4));
		spawnAndEnd("s0", 0);
		List<String> beforeCorruption = view(this.published);
		spawnAndEnd("s1", 1);
		spawnAndEnd("s2", 2);
		crashInto(this.crashed);
		Path journal = this.crashed.resolve(JsonFileStore.JOURNAL);
		List<String> lines = Files.readAllLines(journal, StandardCharsets.UTF_8);
		// the second line (s1's spawn; the first persist, s0's spawn, went into the
		// file): one
		// character flipped
		String line = lines.get(1);
		lines.set(1, line.substring(0, 20) + (line.charAt(20) == 'x' ? 'y' : 'x') + line.substring(21));
		Files.write(journal, lines, StandardCharsets.UTF_8);

		try (JsonFileStore recovered = store(this.crashed, DataSize.ofMegabytes(4))) {
			assertThat(view(recovered.load())).isEqualTo(beforeCorruption);
			assertThat(recovered.recoveryFindings()).containsOnlyKeys(FileRecovery.CORRUPT_JOURNAL);
			assertThat(recovered.recoveryFindings().get(FileRecovery.CORRUPT_JOURNAL)).contains("cannot be read");
			assertThat(recovered.quarantined()).singleElement()
				.satisfies(
						(aside) -> assertThat(aside.getFileName().toString()).startsWith("telemetry.journal.corrupt-"));
		}
		try (JsonFileStore again = store(this.crashed, DataSize.ofMegabytes(4))) {
			assertThat(view(again.load())).as("made durable at once").isEqualTo(beforeCorruption);
		}
	}

	@Test
	void aPersistAppendsWhatItsBatchChangedWhateverTheStateHolds() throws IOException {
		open(this.dir, DataSize.ofGigabytes(1));
		Path journal = this.dir.resolve(JsonFileStore.JOURNAL);
		spawnAndEnd("first", 0);
		long first = Files.size(journal);
		spawnAndEnd("second", 1);
		long one = Files.size(journal) - first;
		for (int i = 0; i < 500; i++) {
			spawnAndEnd("fill-" + i, i);
		}
		long before = Files.size(journal);
		spawnAndEnd("later", 2);
		long later = Files.size(journal) - before;

		// the counts in it have more digits by then, nothing more
		assertThat(later).as("bytes of one batch with 500 more spawns in the state").isLessThan(one + one / 4);
	}

	@Test
	void aSpawnPushedOutOfTheLogAndEndedInTheSameBatchIsRecoveredEnded() throws IOException {
		open(this.dir, DataSize.ofMegabytes(4));
		for (int i = 0; i < 20; i++) {
			String id = "first-" + i;
			commit((state) -> state
				.recordSpawn(new NewSpawn(id, this.clock.instant(), "task", "builder", "m", "task-based")));
		}
		commit((state) -> {
			for (int i = 0; i < 3; i++) {
				state.recordSpawn(new NewSpawn("new-" + i, this.clock.instant(), "task", "builder", "m", "task-based"));
			}
			state.recordOutcome("first-0", Outcome.COMPLETED, null, new Usage(5, ToolUsage.NONE));
		});
		assertThat(this.store.retainedSpawn("first-0").outcome()).isEqualTo(Outcome.COMPLETED);

		crashInto(this.crashed);
		try (JsonFileStore recovered = store(this.crashed, DataSize.ofMegabytes(4))) {
			TelemetrySnapshot state = recovered.load();
			assertThat(recovered.retainedSpawn("first-0").outcome()).as("kept beyond the log as it ended")
				.isEqualTo(Outcome.COMPLETED);
			assertThat(recovered.retainedSpawn("first-0").tokens()).isEqualTo(5);
			assertThat(state.decisions()).hasSize(20);
		}
	}

	@Test
	void keepsSpawnsThatLeftTheLogThroughCrashesAndCheckpointsForTheirRetention() throws IOException {
		open(this.dir, DataSize.ofMegabytes(4));
		spawnAndEnd("old", 0);
		for (int i = 0; i < 25; i++) {
			spawnAndEnd("newer-" + i, i);
		}
		assertThat(this.published.find("old")).isEmpty();
		assertThat(this.store.retainedSpawn("old")).isNotNull();

		crashInto(this.crashed);
		try (JsonFileStore recovered = store(this.crashed, DataSize.ofMegabytes(4))) {
			recovered.load();
			assertThat(recovered.retainedSpawn("old")).as("from the journal").isNotNull();
			assertThat(recovered.retainedSpawn("old").outcome()).isEqualTo(Outcome.COMPLETED);
		}
		this.store.checkpoint(this.published);
		crashInto(this.crashed);
		try (JsonFileStore recovered = store(this.crashed, DataSize.ofMegabytes(4))) {
			recovered.load();
			assertThat(recovered.retainedSpawn("old")).as("from the checkpoint").isNotNull();
		}

		assertThat(Files.readString(this.dir.resolve(RetainedSpawns.FILE))).as("apart from the checkpoint")
			.contains("\"old\"");
		assertThat(Files.readString(this.dir.resolve("telemetry.json"))).doesNotContain("\"old\"");

		this.clock.advance(java.time.Duration.ofDays(31));
		assertThat(this.store.retainedSpawn("old")).as("beyond the retention").isNull();
		crashInto(this.crashed);
		try (JsonFileStore recovered = store(this.crashed, DataSize.ofMegabytes(4))) {
			recovered.load();
			assertThat(recovered.retainedSpawn("old")).isNull();
		}
	}

	@Test
	void rewritesTheRetainedSpawnsWhenMostOfTheirLinesAreDeadAndGoesOnAppendingAfterThem() throws IOException {
		this.store = store(this.dir, DataSize.ofMegabytes(4), 30);
		this.published = this.store.load();
		Path retained = this.dir.resolve(RetainedSpawns.FILE);
		long mostLines = 0;
		for (int i = 0; i < 1_300; i++) {
			spawnAndEnd("s" + i, i);
			if (i % 50 == 49) {
				this.store.checkpoint(this.published);
				mostLines = Math.max(mostLines, Files.readAllLines(retained).size());
			}
		}
		assertThat(mostLines).as("dead lines accumulate before a rewrite").isGreaterThan(1_000);
		long lines = Files.readAllLines(retained).size();
		assertThat(lines).as("rewritten: the bound's 30 and the appends since").isLessThan(mostLines).isGreaterThan(30);

		crashInto(this.crashed);
		try (JsonFileStore recovered = store(this.crashed, DataSize.ofMegabytes(4), 30)) {
			recovered.load();
			assertThat(recovered.recoveryFindings()).as("every line after the rewrite is whole").isEmpty();
			// s0..s1279 left the 20-long log; the bound keeps the last 30 to leave
			assertThat(recovered.retainedSpawn("s1279")).isNotNull();
			assertThat(recovered.retainedSpawn("s1250")).isNotNull();
			assertThat(recovered.retainedSpawn("s1249")).isNull();
		}
	}

	@Test
	void cutsWhatCannotBeReadOffTheRetainedSpawnsAndKeepsTheRest() throws IOException {
		open(this.dir, DataSize.ofMegabytes(4));
		for (int i = 0; i < 25; i++) {
			spawnAndEnd("s" + i, i);
		}
		this.store.checkpoint(this.published);
		crashInto(this.crashed);
		Files.writeString(this.crashed.resolve(RetainedSpawns.FILE), "0123abcd {\"spawn_id\":\"half",
				StandardOpenOption.APPEND);

		try (JsonFileStore recovered = store(this.crashed, DataSize.ofMegabytes(4))) {
			recovered.load();
			assertThat(recovered.recoveryFindings().get(FileRecovery.CORRUPT_RETAINED)).contains("telemetry.retained");
			assertThat(recovered.retainedSpawn("s0")).isNotNull();
		}
	}

	@Test
	void setsAsideUnappliedAJournalOfAnotherDataDirectory() throws IOException {
		open(this.dir, DataSize.ofMegabytes(4));
		for (int i = 0; i < 3; i++) {
			spawnAndEnd("s" + i, i);
		}
		this.store.checkpoint(this.published);
		List<String> expected = view(this.published);
		crashInto(this.crashed);
		this.store.close();
		// another directory, whose batches continue the same numbers
		Path other = Files.createTempDirectory(this.crashed.getParent(), "other-");
		open(other, DataSize.ofMegabytes(4));
		for (int i = 0; i < 6; i++) {
			spawnAndEnd("other-" + i, i);
		}
		Files.copy(other.resolve(JsonFileStore.JOURNAL), this.crashed.resolve(JsonFileStore.JOURNAL),
				StandardCopyOption.REPLACE_EXISTING);

		try (JsonFileStore recovered = store(this.crashed, DataSize.ofMegabytes(4))) {
			TelemetrySnapshot state = recovered.load();
			assertThat(view(state)).as("none of the other directory's spawns").isEqualTo(expected);
			assertThat(state.find("other-5")).isEmpty();
			assertThat(recovered.recoveryFindings()).containsOnlyKeys(FileRecovery.FOREIGN_JOURNAL);
			assertThat(recovered.recoveryFindings().get(FileRecovery.FOREIGN_JOURNAL))
				.contains("another data directory");
			assertThat(recovered.quarantined()).singleElement()
				.satisfies(
						(aside) -> assertThat(aside.getFileName().toString()).startsWith("telemetry.journal.corrupt-"));
		}
		try (JsonFileStore again = store(this.crashed, DataSize.ofMegabytes(4))) {
			assertThat(view(again.load())).isEqualTo(expected);
			assertThat(again.recoveryFindings()).isEmpty();
		}
	}

	@Test
	void movesACorruptRetainedFileAsideWholeAndKeepsTheSpawnsBeforeTheCorruptLine() throws IOException {
		open(this.dir, DataSize.ofMegabytes(4));
		for (int i = 0; i < 25; i++) {
			spawnAndEnd("s" + i, i);
		}
		this.store.checkpoint(this.published);
		crashInto(this.crashed);
		Path retained = this.crashed.resolve(RetainedSpawns.FILE);
		List<String> lines = Files.readAllLines(retained, StandardCharsets.UTF_8);
		assertThat(lines).hasSizeGreaterThan(2);
		String line = lines.get(1);
		lines.set(1, line.substring(0, 20) + (line.charAt(20) == 'x' ? 'y' : 'x') + line.substring(21));
		Files.write(retained, lines, StandardCharsets.UTF_8);
		byte[] corrupt = Files.readAllBytes(retained);

		try (JsonFileStore recovered = store(this.crashed, DataSize.ofMegabytes(4))) {
			recovered.load();
			assertThat(recovered.recoveryFindings()).containsOnlyKeys(FileRecovery.CORRUPT_RETAINED);
			assertThat(recovered.retainedSpawn("s0")).as("before the corrupt line").isNotNull();
			assertThat(recovered.quarantined()).singleElement()
				.satisfies((aside) -> assertThat(aside).hasBinaryContent(corrupt));
		}
	}

	/** A spawn and its outcome, in two batches. */
	private void spawnAndEnd(String id, int tokens) {
		this.clock.advance(java.time.Duration.ofSeconds(7));
		commit((state) -> state.recordSpawn(
				new NewSpawn(id, this.clock.instant(), "task " + id, "builder", "m" + (tokens % 3), "task-based")));
		this.clock.advance(java.time.Duration.ofSeconds(3));
		commit((state) -> state.recordOutcome(id, Outcome.values()[tokens % 3], null,
				new Usage(tokens, new ToolUsage(1, 0, 0, tokens))));
	}

	private void commit(java.util.function.Consumer<dev.spawntelemetry.store.WorkingState> batch) {
		this.published = this.store.commit(this.published, batch);
	}

	private void open(Path directory, DataSize checkpointAfter) {
		this.store = store(directory, checkpointAfter);
		this.published = this.store.load();
	}

	private JsonFileStore store(Path directory, DataSize checkpointAfter) {
		return store(directory, checkpointAfter, 50_000);
	}

	private JsonFileStore store(Path directory, DataSize checkpointAfter, int maxRetained) {
		return new JsonFileStore(
				new FileStorageProperties(directory, true, checkpointAfter, java.time.Duration.ofDays(30), maxRetained),
				20, new Limits(100, 100), dev.spawntelemetry.telemetry.HistoryProperties.DEFAULTS, this.clock);
	}

	/**
	 * What a crash now would leave: the data files as the disk holds them, copied aside.
	 */
	private void crashInto(Path target) throws IOException {
		try (Stream<Path> files = Files.list(target)) {
			for (Path file : files.toList()) {
				Files.delete(file);
			}
		}
		// in the order a checkpoint in the background leaves them behind: the file it
		// replaces last, so that the copy never holds a file older than the journals
		for (String name : new String[] { JsonFileStore.SEALED_JOURNAL, JsonFileStore.JOURNAL, RetainedSpawns.FILE,
				"telemetry.json" }) {
			try {
				Files.copy(this.dir.resolve(name), target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
			}
			catch (java.nio.file.NoSuchFileException ex) {
				// not there, or deleted by a checkpoint that completed meanwhile
			}
		}
	}

	private List<String> recoveredFromACrashNow() throws IOException {
		crashInto(this.crashed);
		try (JsonFileStore recovered = store(this.crashed, DataSize.ofMegabytes(4))) {
			return view(recovered.load());
		}
	}

	/** Everything a snapshot says but its version. */
	private static List<String> view(TelemetrySnapshot snapshot) {
		return List.of(String.valueOf(snapshot.lastUpdated()), snapshot.models().toString(),
				snapshot.decisions().toString());
	}

}
