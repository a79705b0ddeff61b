package dev.spawntelemetry.store.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.spawntelemetry.routing.RoutePolicy;
import dev.spawntelemetry.routing.RoutingProperties;
import dev.spawntelemetry.telemetry.Router;
import dev.spawntelemetry.telemetry.ModelStats;
import dev.spawntelemetry.telemetry.BucketQuery;
import dev.spawntelemetry.telemetry.BucketSize;
import dev.spawntelemetry.telemetry.CasteStats;
import dev.spawntelemetry.telemetry.DurationHistogram;
import dev.spawntelemetry.telemetry.HistoryProperties;
import dev.spawntelemetry.telemetry.TimeCell;
import dev.spawntelemetry.telemetry.LimitExceededException;
import dev.spawntelemetry.telemetry.MutableClock;
import dev.spawntelemetry.telemetry.NewSpawn;
import dev.spawntelemetry.telemetry.Outcome;
import dev.spawntelemetry.telemetry.SpawnChange;
import dev.spawntelemetry.telemetry.SpawnConflictException;
import dev.spawntelemetry.telemetry.SpawnNotFoundException;
import dev.spawntelemetry.telemetry.SpawnRecord;
import dev.spawntelemetry.telemetry.SpawnWindow;
import dev.spawntelemetry.telemetry.Limits;
import dev.spawntelemetry.telemetry.ToolUsage;
import dev.spawntelemetry.telemetry.Usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What the PostgreSQL backend promises beyond the port's contract: several replicas on
 * one database as one truth, and spawns kept beyond the log for the retention.
 */
class PostgresReplicasTests {

	private static final Limits LIMITS = new Limits(1000, 200);

	private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T12:00:00Z"));

	private final PostgresReplicas replicas = new PostgresReplicas(this.clock);

	@AfterEach
	void stop() {
		this.replicas.close();
	}

	@Test
	void everyReplicaSeesEveryCommitUnderTheSameVersionAndItsOwnAtOnce() {
		PostgresStorage a = this.replicas.start(1000, LIMITS);
		PostgresStorage b = this.replicas.start(1000, LIMITS);

		a.recordSpawn(spawn("from-a", "builder", "m")).join();
		assertThat(a.current().find("from-a")).isPresent();
		b.recordSpawn(spawn("from-b", "scout", "m")).join();
		assertThat(b.current().find("from-a")).as("b caught up before it committed").isPresent();

		await().atMost(Duration.ofMinutes(1)).until(() -> a.current().version() == b.current().version());
		assertThat(a.current().decisions()).isEqualTo(b.current().decisions());
		assertThat(a.current().models()).isEqualTo(b.current().models());
		assertThat(a.current().totalSpawns()).isEqualTo(2);
	}

	@Test
	void replicasAtTheSameVersionRouteAlikeAndReadTheRouteBackFromTheDatabase() {
		PostgresStorage a = this.replicas.start(1000, LIMITS);
		PostgresStorage b = this.replicas.start(1000, LIMITS);
		RoutePolicy policy = new RoutePolicy(RoutingProperties.DEFAULTS);
		for (int i = 0; i < 40; i++) {
			PostgresStorage replica = (i % 2 == 0) ? a : b;
			String model = (i % 4 < 2) ? "kimi" : "glm";
			replica.recordSpawn(spawn("s" + i, "builder", model)).join();
			replica.recordOutcome("s" + i, (i % 3 == 0) ? Outcome.FAILED : Outcome.COMPLETED, Usage.NONE).join();
		}
		SpawnRecord routed = a
			.recordSpawn(new NewSpawn("routed", null, "t", "builder", null, null,
					new Router.Request(List.of("kimi", "glm", "new"), true, policy)))
			.join()
			.spawn();
		b.recordSpawn(spawn("after", "scout", "m")).join();
		await().atMost(Duration.ofMinutes(1)).until(() -> a.current().version() == b.current().version());

		assertThat(b.current().find("routed")).contains(routed);
		assertThat(b.current().models()).isEqualTo(a.current().models());
		for (String spawnId : List.of("x", "y", "z")) {
			Router.Choice onA = policy.choose(spawnId, "builder", List.of("kimi", "glm", "new"),
					(model) -> statsOf(a, model));
			Router.Choice onB = policy.choose(spawnId, "builder", List.of("kimi", "glm", "new"),
					(model) -> statsOf(b, model));
			assertThat(onB).isEqualTo(onA);
		}
	}

	private static @Nullable CasteStats statsOf(PostgresStorage replica, String model) {
		ModelStats stats = replica.current().models().get(model);
		return (stats != null) ? stats.byCaste().get("builder") : null;
	}

	@Test
	void theDatabaseDecidesRetriesConflictsAndLimitsAcrossReplicas() {
		PostgresStorage a = this.replicas.start(1000, new Limits(2, 200));
		PostgresStorage b = this.replicas.start(1000, new Limits(2, 200));

		a.recordSpawn(spawn("s1", "builder", "m1")).join();
		SpawnChange retried = b.recordSpawn(spawn("s1", "builder", "m1")).join();
		refusal(b.recordSpawn(spawn("s1", "scout", "m1")), SpawnConflictException.class);
		b.recordSpawn(spawn("s2", "builder", "m2")).join();
		refusal(a.recordSpawn(spawn("s3", "builder", "m3")), LimitExceededException.class);
		b.recordOutcome("s1", Outcome.COMPLETED, Usage.NONE).join();
		refusal(a.recordOutcome("s1", Outcome.FAILED, Usage.NONE), SpawnConflictException.class);
		a.addUsage("s2", new Usage(5, ToolUsage.NONE), "k").join();
		SpawnChange usageRetried = b.addUsage("s2", new Usage(5, ToolUsage.NONE), "k").join();

		assertThat(retried.changed()).isFalse();
		assertThat(usageRetried.changed()).isFalse();
		await().atMost(Duration.ofMinutes(1)).until(() -> a.current().version() == b.current().version());
		assertThat(a.current().totalSpawns()).isEqualTo(2);
		assertThat(a.current().models()).containsOnlyKeys("m1", "m2");
		assertThat(a.current().models().get("m1").completed()).isEqualTo(1);
		assertThat(a.current().models().get("m1").failed()).isZero();
		assertThat(a.current().models().get("m2").tokens()).isEqualTo(5);
	}

	@Test
	void recognizesSpawnsBeyondTheLogAndCountsTheirOutcomes() {
		PostgresStorage storage = this.replicas.start(3, LIMITS);
		for (int i = 1; i <= 5; i++) {
			storage.recordSpawn(spawn("s" + i, "builder", "m")).join();
		}

		SpawnChange retried = storage.recordSpawn(spawn("s1", "builder", "m")).join();
		SpawnChange ended = storage.recordOutcome("s1", Outcome.COMPLETED, new Usage(7, ToolUsage.NONE)).join();

		assertThat(retried.changed()).isFalse();
		assertThat(ended.spawn().outcome()).isEqualTo(Outcome.COMPLETED);
		assertThat(storage.current().decisions()).extracting(SpawnRecord::spawnId).containsExactly("s3", "s4", "s5");
		assertThat(storage.current().totalSpawns()).isEqualTo(5);
		assertThat(storage.current().models().get("m").completed()).isEqualTo(1);
		assertThat(storage.current().models().get("m").tokens()).isEqualTo(7);
		SpawnWindow window = SpawnWindow.of(storage.buckets(lastDays(2, null)), BucketSize.HOUR);
		assertThat(window.spawns()).as("the log holds 3 of them, the buckets all 5").isEqualTo(5);
		assertThat(window.byModel().get("m").completed()).isEqualTo(1);
		assertThat(window.byModel().get("m").tokens()).isEqualTo(7);
		assertThat(storage.buckets(lastDays(2, "scout"))).isEmpty();
	}

	@Test
	void keepsSpawnsForTheRetentionAndTheNewestAlways() throws Exception {
		PostgresStorage storage = this.replicas.start(2, LIMITS, Duration.ofDays(30));
		Instant now = this.clock.instant();
		storage.recordSpawn(stamped("old-1", now.minus(Duration.ofDays(45)))).join();
		storage.recordSpawn(stamped("recent", now.minus(Duration.ofDays(10)))).join();
		storage.recordSpawn(stamped("old-2", now.minus(Duration.ofDays(40)))).join();
		storage.recordSpawn(stamped("old-newest", now.minus(Duration.ofDays(50)))).join();

		storage.deleteExpired();

		assertThat(storedIds()).containsExactlyInAnyOrder("recent", "old-2", "old-newest");
		refusal(storage.recordOutcome("old-1", Outcome.COMPLETED, Usage.NONE), SpawnNotFoundException.class);
		storage.recordOutcome("recent", Outcome.COMPLETED, Usage.NONE).join();
		assertThat(storage.current().totalSpawns()).isEqualTo(4);
	}

	/**
	 * The database's sums of time buckets equal those of the same spawns counted in
	 * memory, spawn by spawn: duration histograms at every bound, zero durations, clock
	 * skew, tools and sources included.
	 */
	@Test
	void sumsTimeBucketsInTheDatabaseExactlyAsTheSpawnsCountInMemory() {
		PostgresStorage storage = this.replicas.start(1000, LIMITS);
		Instant now = this.clock.instant();
		long[] bounds = DurationHistogram.upperBoundsMillis();
		List<Duration> durations = new ArrayList<>(List.of(Duration.ZERO, Duration.ofNanos(1), Duration.ofMillis(-5),
				Duration.ofHours(-3), Duration.ofDays(20), Duration.ofNanos(999_999), Duration.ofNanos(1_000_001)));
		for (long bound : bounds) {
			durations.add(Duration.ofMillis(bound));
			durations.add(Duration.ofMillis(bound).plusNanos(999_999));
			durations.add(Duration.ofMillis(bound + 1));
		}
		Outcome[] outcomes = Outcome.values();
		for (int i = 0; i < durations.size(); i++) {
			String id = "d" + i;
			Instant stamped = now.minus(durations.get(i)).plusNanos(i % 1000);
			storage
				.recordSpawn(new NewSpawn(id, stamped, "task", (i % 3 == 0) ? "scout" : "builder", "m" + (i % 4),
						"source-" + (i % 5)))
				.join();
			if (i % 11 != 0) {
				storage.recordOutcome(id, outcomes[i % 3], new Usage(i, new ToolUsage(i, 1, 0, 2))).join();
			}
		}
		List<SpawnRecord> all = storage.current().decisions();

		for (BucketSize size : BucketSize.values()) {
			for (String caste : new String[] { null, "builder" }) {
				Instant to = size.startOf(now).plus(size.length());
				BucketQuery query = new BucketQuery(size, HistoryProperties.DEFAULTS.oldestKept(size, now), to, null,
						caste, null);
				Map<String, CasteStats> expected = new TreeMap<>();
				for (SpawnRecord spawn : all) {
					if ((caste == null || caste.equals(spawn.caste()))
							&& HistoryProperties.DEFAULTS.counts(size, spawn.timestamp(), now)
							&& size.startOf(spawn.timestamp()).isBefore(to)) {
						expected.merge(spawn.selectedModel(), TimeCell.countOf(spawn), CasteStats::plus);
					}
				}
				assertThat(SpawnWindow.of(storage.buckets(query), size).byModel()).as(size + " caste " + caste)
					.isEqualTo(expected);
			}
		}
	}

	private BucketQuery lastDays(int days, String caste) {
		Instant to = BucketSize.HOUR.startOf(this.clock.instant()).plus(BucketSize.HOUR.length());
		return new BucketQuery(BucketSize.HOUR, to.minus(Duration.ofDays(days)), to, null, caste, null);
	}

	@Test
	void keepsTimestampsToTheNanosecond() {
		PostgresStorage a = this.replicas.start(1000, LIMITS);
		Instant precise = Instant.parse("2026-05-31T08:00:00.123456789Z");
		a.recordSpawn(stamped("precise", precise)).join();

		PostgresStorage b = this.replicas.start(1000, LIMITS);

		assertThat(b.current().find("precise").orElseThrow().timestamp()).isEqualTo(precise);
		assertThat(b.recordSpawn(stamped("precise", precise)).join().changed()).isFalse();
	}

	@Test
	void aBatchOfManyWritesFromManyReplicasCountsEachOnce() {
		List<PostgresStorage> all = List.of(this.replicas.start(1000, LIMITS), this.replicas.start(1000, LIMITS),
				this.replicas.start(1000, LIMITS));
		List<CompletableFuture<SpawnChange>> writes = new ArrayList<>();
		for (int i = 0; i < 600; i++) {
			int n = i % 400;
			writes.add(all.get(i % 3).recordSpawn(spawn("w" + n, "c" + (n % 7), "m" + (n % 5))));
		}
		writes.forEach(CompletableFuture::join);

		await().atMost(Duration.ofMinutes(1))
			.until(() -> all.stream().mapToLong((replica) -> replica.current().version()).distinct().count() == 1);
		assertThat(all.get(0).current().totalSpawns()).isEqualTo(400);
		assertThat(all.get(1).current().models()).isEqualTo(all.get(2).current().models());
		assertThat(writes.stream().filter((write) -> write.join().changed()).count()).isEqualTo(400);
	}

	private List<String> storedIds() throws Exception {
		List<String> ids = new ArrayList<>();
		try (Connection connection = this.replicas.database().connect();
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("SELECT spawn_id FROM spawns")) {
			while (rows.next()) {
				ids.add(rows.getString(1));
			}
		}
		return ids;
	}

	private static NewSpawn spawn(String id, String caste, String model) {
		return new NewSpawn(id, Instant.parse("2026-05-31T08:00:00Z"), "task", caste, model, "task-based");
	}

	private static NewSpawn stamped(String id, Instant at) {
		return new NewSpawn(id, at, "task", "builder", "m", "task-based");
	}

	private static <T extends Throwable> void refusal(CompletableFuture<?> write, Class<T> type) {
		assertThatExceptionOfType(CompletionException.class).isThrownBy(write::join).withCauseInstanceOf(type);
	}

}
