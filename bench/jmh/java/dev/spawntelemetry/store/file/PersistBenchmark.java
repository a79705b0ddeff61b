package dev.spawntelemetry.store.file;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.spawntelemetry.store.WorkingState;
import dev.spawntelemetry.telemetry.NewSpawn;
import dev.spawntelemetry.telemetry.Outcome;
import dev.spawntelemetry.telemetry.Limits;
import dev.spawntelemetry.telemetry.TelemetrySnapshot;
import dev.spawntelemetry.telemetry.ToolUsage;
import dev.spawntelemetry.telemetry.Usage;

/**
 * The file backend's persists against their floors: a batch appended to the journal
 * (one spawn, or 64) against appending as many bytes with fdatasync; and a checkpoint of a
 * full state (1000 decisions over 5 models × 7 castes) against writing its bytes to a temp
 * file, fsync, atomic rename, directory fsync. The ratios are what the format and the
 * serializer cost; the journal's persist does not grow with the state.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(1)
public class PersistBenchmark {

	private static final String[] MODELS = { "kimi-k2.5", "glm-5", "openrouter/anthropic/claude-sonnet-4.5",
			"openrouter/openai/gpt-5", "qwen3-coder" };

	private static final String[] CASTES = { "builder", "watcher", "scout", "oracle", "architect", "colonizer",
			"chronicler" };

	@Param({ "true", "false" })
	boolean fsync;

	Path dir;

	JsonFileStore store;

	TelemetrySnapshot snapshot;

	byte[] serialized;

	WorkingState state;

	long version = 1;

	int next;

	@Setup(Level.Trial)
	public void setUp() throws IOException {
		this.dir = Files.createTempDirectory("persist-bench-");
		this.store = new JsonFileStore(new FileStorageProperties(this.dir.resolve("store"), this.fsync,
				org.springframework.util.unit.DataSize.ofMegabytes(4), java.time.Duration.ofDays(30), 50_000), 1000,
				new Limits(1000, 200), dev.spawntelemetry.telemetry.HistoryProperties.DEFAULTS, Clock.systemUTC());
		this.store.load();
		WorkingState state = new WorkingState(TelemetrySnapshot.empty(), 1000, new Limits(1000, 200),
				dev.spawntelemetry.telemetry.HistoryProperties.DEFAULTS, Clock.systemUTC(), WorkingState.NO_RETAINED_SPAWNS);
		Instant start = Instant.parse("2026-11-01T00:00:00Z");
		for (int i = 0; i < 1500; i++) {
			String spawnId = "019ab1c2-0428-7262-bbea-" + String.format("%012d", i);
			state.recordSpawn(new NewSpawn(spawnId, start.plusSeconds(i),
					"implement step " + i + " of the plan and run the tests", CASTES[i % CASTES.length],
					MODELS[i % MODELS.length], "task-based"));
			if (i % 3 != 0) {
				state.recordOutcome(spawnId, Outcome.values()[i % 3], start.plusSeconds(i + 60),
						new Usage(1000 + i, new ToolUsage(3, 2, 1, 4)));
			}
		}
		this.snapshot = state.toSnapshot(1);
		this.state = state;
		this.next = 1500;
		java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
		new FileFormat().write(this.snapshot, 0, TimeBuckets.EMPTY, null, out);
		this.serialized = out.toByteArray();
		Files.createDirectories(this.dir.resolve("floor"));
	}

	@TearDown(Level.Trial)
	public void tearDown() throws IOException {
		this.store.close();
	}

	@Benchmark
	public void checkpoint() {
		this.store.checkpoint(this.snapshot);
	}

	/**
	 * What the writer pays per batch under load: 64 new decisions rotate 64 old ones out,
	 * then one snapshot and one persist (a journal append, and a checkpoint every 4 MB).
	 */
	@Benchmark
	public void applyBatchOf64AndPersist() {
		applyAndPersist(64);
	}

	/** What the writer pays for a lone spawn: its batch appended to the journal. */
	@Benchmark
	public void applyOneSpawnAndPersist() {
		applyAndPersist(1);
	}

	private void applyAndPersist(int spawns) {
		for (int i = 0; i < spawns; i++, this.next++) {
			this.state.recordSpawn(new NewSpawn("019ab1c2-0428-7262-bbea-" + String.format("%012d", this.next),
					Instant.parse("2026-11-01T00:00:00Z").plusSeconds(this.next), "implement step " + this.next,
					CASTES[this.next % CASTES.length], MODELS[this.next % MODELS.length], "task-based"));
		}
		dev.spawntelemetry.store.ChangeSet changes = this.state.changes();
		TelemetrySnapshot next = this.state.toSnapshot(++this.version);
		this.store.persist(next, changes);
	}

	/** The floor of a journal append: about one batch of 64 spawns' bytes, fdatasync. */
	@Benchmark
	public void floorAppendABatchsBytes() throws IOException {
		try (FileChannel channel = FileChannel.open(this.dir.resolve("floor").resolve("journal"),
				StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
			ByteBuffer bytes = ByteBuffer.wrap(this.serialized, 0, 24 * 1024);
			while (bytes.hasRemaining()) {
				channel.write(bytes);
			}
			if (this.fsync) {
				channel.force(false);
			}
		}
	}

	/** The first persist after a start: every decision serialized from scratch. */
	@Benchmark
	public void serializeFromScratch() {
		new FileFormat().write(this.snapshot, 0, TimeBuckets.EMPTY, null, OutputStream.nullOutputStream());
	}

	@Benchmark
	public void floorWriteSameBytesAtomically() throws IOException {
		Path floor = this.dir.resolve("floor");
		Path temp = floor.resolve("telemetry.json.tmp");
		try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE,
				StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
			ByteBuffer bytes = ByteBuffer.wrap(this.serialized);
			while (bytes.hasRemaining()) {
				channel.write(bytes);
			}
			if (this.fsync) {
				channel.force(true);
			}
		}
		Files.move(temp, floor.resolve("telemetry.json"), StandardCopyOption.ATOMIC_MOVE,
				StandardCopyOption.REPLACE_EXISTING);
		if (this.fsync) {
			try (FileChannel directory = FileChannel.open(floor, StandardOpenOption.READ)) {
				directory.force(true);
			}
		}
	}

}
