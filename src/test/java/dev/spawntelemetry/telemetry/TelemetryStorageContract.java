package dev.spawntelemetry.telemetry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.AfterEach;

import dev.spawntelemetry.routing.RoutePolicy;
import dev.spawntelemetry.routing.RoutingProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

/**
 * What every storage backend promises through {@link TelemetryStorage}, written once. A
 * backend's test extends this class and says how to start it on an empty store and how to
 * make its storage refuse writes.
 */
public abstract class TelemetryStorageContract {

	protected static final Limits LIMITS = new Limits(1000, 200);

	protected final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T12:00:00Z"));

	/** Starts the backend on an empty store, with this log length and these limits. */
	protected abstract TelemetryStorage start(int maxDecisions, Limits limits);

	/** Makes the storage refuse every write until the answer is closed. */
	protected abstract AutoCloseable refuseWrites();

	/**
	 * Holds the next commit, once a write reached it, until the answer is closed: the
	 * writes sent meanwhile queue behind it, and the writer then takes them as one batch.
	 */
	protected abstract CommitHold holdNextCommit();

	/** A commit held by {@link #holdNextCommit}. */
	protected interface CommitHold extends AutoCloseable {

		/** Waits until a write's commit is held. */
		void awaitHeld() throws Exception;

	}

	/** Stops what {@link #start} started. */
	protected abstract void stop() throws Exception;

	/**
	 * Not {@link #stop} itself: JUnit runs no {@code @AfterEach} of a method a subclass
	 * overrides, and then every test would leave its backend running (on PostgreSQL, its
	 * pool's connections open).
	 */
	@AfterEach
	final void stopTheBackend() throws Exception {
		stop();
	}

	@Test
	void makesATimeOrderedIdAndTakesTheDefaultsForWhatIsLeftOut() {
		TelemetryStorage storage = start(1000, LIMITS);

		SpawnChange change = storage.recordSpawn(new NewSpawn(null, null, null, null, null, null)).join();

		SpawnRecord spawn = change.spawn();
		assertThat(change.changed()).isTrue();
		assertThat(UUID.fromString(spawn.spawnId()).version()).isEqualTo(7);
		assertThat(spawn.timestamp()).isEqualTo(this.clock.instant());
		assertThat(List.of(spawn.task(), spawn.caste(), spawn.selectedModel(), spawn.source()))
			.containsExactly("unknown", "unknown", "default", "caste-default");
		assertThat(spawn.outcome()).isNull();
		assertThat(storage.current().find(spawn.spawnId())).contains(spawn);
		assertThat(storage.current().totalSpawns()).isEqualTo(1);
	}

	@Test
	void keepsTheClientsIdAndTimestamp() {
		TelemetryStorage storage = start(1000, LIMITS);
		Instant at = Instant.parse("2026-05-31T08:00:00.250Z");

		SpawnRecord spawn = storage.recordSpawn(spawn("colony-7:scout.1", at, "scout", "glm-5")).join().spawn();

		assertThat(spawn.spawnId()).isEqualTo("colony-7:scout.1");
		assertThat(spawn.timestamp()).isEqualTo(at);
	}

	@Test
	void countsARetryOnceAndAnswersItUnchanged() {
		TelemetryStorage storage = start(1000, LIMITS);
		Instant at = Instant.parse("2026-05-31T08:00:00Z");
		SpawnRecord first = storage.recordSpawn(spawn("a", at, "builder", "kimi-k2.5")).join().spawn();
		long version = storage.current().version();

		SpawnChange again = storage.recordSpawn(spawn("a", at, "builder", "kimi-k2.5")).join();
		SpawnChange withoutTimestamp = storage.recordSpawn(spawn("a", null, "builder", "kimi-k2.5")).join();

		assertThat(again.changed()).isFalse();
		assertThat(again.spawn()).isEqualTo(first);
		assertThat(withoutTimestamp.changed()).isFalse();
		assertThat(storage.current().totalSpawns()).isEqualTo(1);
		assertThat(storage.current().version()).isEqualTo(version);
	}

	@Test
	void refusesAnotherSpawnUnderAnIdInUseNamingWhatDiffers() {
		TelemetryStorage storage = start(1000, LIMITS);
		storage.recordSpawn(spawn("a", null, "builder", "kimi-k2.5")).join();

		SpawnConflictException conflict = refusal(storage.recordSpawn(spawn("a", null, "scout", "kimi-k2.5")),
				SpawnConflictException.class);

		assertThat(conflict.getMessage()).contains("'a'", "caste").doesNotContain("model");
		assertThat(storage.current().totalSpawns()).isEqualTo(1);
	}

	@Test
	void refusesOutcomesAndUsageForASpawnItDoesNotKnow() {
		TelemetryStorage storage = start(1000, LIMITS);

		refusal(storage.recordOutcome("nobody", Outcome.COMPLETED, Usage.NONE), SpawnNotFoundException.class);
		refusal(storage.addUsage("nobody", new Usage(5, ToolUsage.NONE), null), SpawnNotFoundException.class);

		assertThat(storage.current().totalSpawns()).isZero();
		assertThat(storage.current().decisions()).isEmpty();
	}

	@Test
	void countsAnOutcomeOnceAndNeverChangesIt() {
		TelemetryStorage storage = start(1000, LIMITS);
		storage.recordSpawn(spawn("a", null, "builder", "kimi-k2.5")).join();

		SpawnChange ended = storage.recordOutcome("a", Outcome.COMPLETED, new Usage(10, ToolUsage.NONE)).join();
		SpawnChange retried = storage.recordOutcome("a", Outcome.COMPLETED, new Usage(10, ToolUsage.NONE)).join();
		refusal(storage.recordOutcome("a", Outcome.FAILED, Usage.NONE), SpawnConflictException.class);

		assertThat(ended.changed()).isTrue();
		assertThat(ended.spawn().outcome()).isEqualTo(Outcome.COMPLETED);
		assertThat(ended.spawn().completedAt()).isEqualTo(this.clock.instant());
		assertThat(retried.changed()).isFalse();
		ModelStats model = storage.current().models().get("kimi-k2.5");
		assertThat(model.completed()).isEqualTo(1);
		assertThat(model.failed()).isZero();
		assertThat(model.byCaste().get("builder").completed()).isEqualTo(1);
		assertThat(storage.current().find("a").orElseThrow().tokens()).isEqualTo(10);
		assertThat(model.tokens()).isEqualTo(10);
	}

	@Test
	void refusesNewModelsAndCastesPastTheLimitsButKeepsRecordingKnownOnes() {
		TelemetryStorage storage = start(1000, new Limits(2, 2));
		storage.recordSpawn(spawn("1", null, "builder", "m1")).join();
		storage.recordSpawn(spawn("2", null, "scout", "m1")).join();
		storage.recordSpawn(spawn("3", null, "builder", "m2")).join();

		LimitExceededException models = refusal(storage.recordSpawn(spawn("4", null, "builder", "m3")),
				LimitExceededException.class);
		LimitExceededException castes = refusal(storage.recordSpawn(spawn("5", null, "oracle", "m1")),
				LimitExceededException.class);
		storage.recordSpawn(spawn("6", null, "scout", "m1")).join();

		assertThat(models.getMessage()).contains("m3", "telemetry.limits.max-models");
		assertThat(castes.getMessage()).contains("oracle", "telemetry.limits.max-castes-per-model");
		assertThat(storage.current().totalSpawns()).isEqualTo(4);
		assertThat(storage.current().models()).containsOnlyKeys("m1", "m2");
	}

	@Test
	void rotatesTheLogAtMaxDecisionsWhileTheAggregatesCountEverySpawn() {
		TelemetryStorage storage = start(3, LIMITS);
		for (int i = 1; i <= 5; i++) {
			storage.recordSpawn(spawn("s" + i, null, "builder", "kimi-k2.5")).join();
		}

		TelemetrySnapshot current = storage.current();

		assertThat(current.decisions()).extracting(SpawnRecord::spawnId).containsExactly("s3", "s4", "s5");
		assertThat(current.find("s1")).isEmpty();
		assertThat(current.totalSpawns()).isEqualTo(5);
		assertThat(current.models().get("kimi-k2.5").byCaste().get("builder").spawns()).isEqualTo(5);
	}

	/**
	 * Within the retention, a spawn that left the log is still known: a client's spool
	 * that waited a day delivers its spawn, usage and outcome, and each is counted once.
	 */
	@Test
	void recognizesRetriesUsageAndOutcomesOfSpawnsThatLeftTheLog() {
		TelemetryStorage storage = start(3, LIMITS);
		Instant at = this.clock.instant().minus(Duration.ofDays(1));
		storage.recordSpawn(spawn("waited", at, "builder", "m")).join();
		for (int i = 0; i < 5; i++) {
			storage.recordSpawn(spawn("later-" + i, null, "builder", "m")).join();
		}

		SpawnChange retried = storage.recordSpawn(spawn("waited", at, "builder", "m")).join();
		SpawnChange used = storage.addUsage("waited", new Usage(7, ToolUsage.NONE), "report-1").join();
		SpawnChange usedAgain = storage.addUsage("waited", new Usage(7, ToolUsage.NONE), "report-1").join();
		SpawnChange ended = storage.recordOutcome("waited", Outcome.COMPLETED, Usage.NONE).join();
		SpawnChange endedAgain = storage.recordOutcome("waited", Outcome.COMPLETED, Usage.NONE).join();

		assertThat(storage.current().find("waited")).as("not in the log").isEmpty();
		assertThat(retried.changed()).isFalse();
		assertThat(used.changed()).isTrue();
		assertThat(usedAgain.changed()).isFalse();
		assertThat(ended.changed()).isTrue();
		assertThat(endedAgain.changed()).isFalse();
		refusal(storage.recordOutcome("waited", Outcome.FAILED, Usage.NONE), SpawnConflictException.class);
		refusal(storage.recordSpawn(spawn("waited", at, "scout", "m")), SpawnConflictException.class);
		CasteStats builder = storage.current().models().get("m").byCaste().get("builder");
		assertThat(builder.spawns()).isEqualTo(6);
		assertThat(builder.completed()).isEqualTo(1);
		assertThat(builder.tokens()).isEqualTo(7);
	}

	@Test
	void recordsEndedSpawnsInOneWriteEachWholeARetryOnceAndAChangedOneRefusedAlone() {
		TelemetryStorage storage = start(3, LIMITS);
		Instant at = this.clock.instant().minus(Duration.ofHours(1));
		EndedSpawn served = new EndedSpawn(spawn("a", at, "builder", "m"), Outcome.COMPLETED, at.plusSeconds(30),
				new Usage(10, new ToolUsage(0, 0, 0, 2)), "m-2026-01-01", null);
		EndedSpawn failed = new EndedSpawn(spawn("b", at, "builder", "m"), Outcome.FAILED, at.plusSeconds(5),
				Usage.NONE, null, "rate_limited");
		long version = storage.current().version();

		List<EndedSpawn.Recorded> first = storage.recordEndedSpawns(List.of(served, failed)).join();

		assertThat(first).allSatisfy((recorded) -> assertThat(recorded.change().changed()).isTrue());
		assertThat(storage.current().version()).as("one write").isEqualTo(version + 1);
		SpawnRecord a = storage.current().find("a").orElseThrow();
		assertThat(a.outcome()).isEqualTo(Outcome.COMPLETED);
		assertThat(a.completedAt()).isEqualTo(at.plusSeconds(30));
		assertThat(a.tokens()).isEqualTo(10);
		assertThat(a.tools().bash()).isEqualTo(2);
		assertThat(a.servedModel()).isEqualTo("m-2026-01-01");
		assertThat(storage.current().find("b").orElseThrow().outcomeReason()).isEqualTo("rate_limited");
		for (int i = 0; i < 3; i++) {
			storage.recordSpawn(spawn("later-" + i, null, "builder", "m")).join();
		}
		EndedSpawn blocked = new EndedSpawn(spawn("b", at, "builder", "m"), Outcome.BLOCKED, at.plusSeconds(5),
				Usage.NONE, null, "rate_limited");
		EndedSpawn fresh = new EndedSpawn(spawn("c", at, "scout", "m"), Outcome.COMPLETED, at, Usage.NONE, null, null);

		List<EndedSpawn.Recorded> second = storage.recordEndedSpawns(List.of(served, blocked, fresh)).join();

		assertThat(storage.current().find("a")).as("left the log").isEmpty();
		assertThat(second.get(0).change().changed()).isFalse();
		assertThat(second.get(1).refusal()).isInstanceOf(SpawnConflictException.class).hasMessageContaining("outcome");
		assertThat(second.get(2).change().changed()).isTrue();
		CasteStats builder = storage.current().models().get("m").byCaste().get("builder");
		assertThat(builder.spawns()).isEqualTo(5);
		assertThat(builder.completed()).isEqualTo(1);
		assertThat(builder.failed()).isEqualTo(1);
		assertThat(builder.blocked()).isZero();
		assertThat(builder.tokens()).isEqualTo(10);
		assertThat(storage.current().models().get("m").byCaste().get("scout").completed()).isEqualTo(1);
	}

	/**
	 * The oldest spawn of a full log, its retry, outcome and usage sent in one batch with
	 * a dozen new spawns: it rotates out in the middle of the batch, and every later
	 * write of the batch still finds it.
	 */
	@Test
	void findsASpawnThatRotatesOutInTheMiddleOfABatchForEveryLaterWriteOfTheBatch() throws Exception {
		TelemetryStorage storage = start(5, LIMITS);
		Instant at = this.clock.instant().minus(Duration.ofMinutes(5));
		SpawnRecord oldest = storage.recordSpawn(spawn("oldest", at, "builder", "m")).join().spawn();
		for (int i = 0; i < 4; i++) {
			storage.recordSpawn(spawn("in-log-" + i, null, "builder", "m")).join();
		}
		List<CompletableFuture<SpawnChange>> fresh = new ArrayList<>();
		CompletableFuture<SpawnChange> held;
		CompletableFuture<SpawnChange> retry;
		CompletableFuture<SpawnChange> outcome;
		CompletableFuture<SpawnChange> usage;
		CompletableFuture<SpawnChange> retryAfterOutcome;
		try (CommitHold hold = holdNextCommit()) {
			held = storage.addUsage("in-log-3", new Usage(1, ToolUsage.NONE), null);
			hold.awaitHeld();
			for (int i = 0; i < 6; i++) {
				fresh.add(storage.recordSpawn(spawn("burst-" + i, null, "builder", "m")));
			}
			retry = storage.recordSpawn(spawn("oldest", at, "builder", "m"));
			outcome = storage.recordOutcome("oldest", Outcome.COMPLETED, new Usage(5, ToolUsage.NONE));
			for (int i = 6; i < 12; i++) {
				fresh.add(storage.recordSpawn(spawn("burst-" + i, null, "builder", "m")));
			}
			usage = storage.addUsage("oldest", new Usage(7, ToolUsage.NONE), "report-1");
			retryAfterOutcome = storage.recordSpawn(spawn("oldest", at, "builder", "m"));
		}

		held.join();
		fresh.forEach((write) -> assertThat(write.join().changed()).isTrue());
		assertThat(retry.join().changed()).as("a retry, not a new spawn").isFalse();
		assertThat(retry.join().spawn()).isEqualTo(oldest);
		assertThat(outcome.join().spawn().outcome()).isEqualTo(Outcome.COMPLETED);
		assertThat(usage.join().spawn().tokens()).isEqualTo(12);
		assertThat(retryAfterOutcome.join().changed()).isFalse();
		assertThat(storage.current().find("oldest")).as("rotated out").isEmpty();
		assertThat(storage.current().totalSpawns()).isEqualTo(17);
		CasteStats builder = storage.current().models().get("m").byCaste().get("builder");
		assertThat(builder.spawns()).isEqualTo(17);
		assertThat(builder.completed()).isEqualTo(1);
		assertThat(builder.tokens()).isEqualTo(13);
		// the batch is stored: the spawn is found beyond the log from now on
		assertThat(storage.recordSpawn(spawn("oldest", at, "builder", "m")).join().changed()).isFalse();
		refusal(storage.recordOutcome("oldest", Outcome.FAILED, Usage.NONE), SpawnConflictException.class);
		assertThat(storage.current().totalSpawns()).isEqualTo(17);
	}

	@Test
	void measuresDurationsFromTheSpawnsTimestampAndCountsClockSkew() {
		TelemetryStorage storage = start(1000, LIMITS);
		storage.recordSpawn(spawn("slow", this.clock.instant().minus(Duration.ofSeconds(90)), "builder", "m")).join();
		storage.recordSpawn(spawn("ahead", this.clock.instant().plus(Duration.ofMinutes(5)), "builder", "m")).join();

		storage.recordOutcome("slow", Outcome.COMPLETED, Usage.NONE).join();
		storage.recordOutcome("ahead", Outcome.FAILED, Usage.NONE).join();

		CasteStats caste = storage.current().models().get("m").byCaste().get("builder");
		DurationHistogram completed = caste.durations(Outcome.COMPLETED);
		assertThat(completed.total()).isEqualTo(1);
		assertThat(completed.percentile(0.5)).isBetween(Duration.ofSeconds(64), Duration.ofSeconds(128));
		assertThat(caste.durations(Outcome.FAILED).percentile(0.99)).isLessThanOrEqualTo(Duration.ofSeconds(1));
		assertThat(caste.clockSkew()).isEqualTo(1);
	}

	@Test
	void measuresABackfilledOutcomeToTheTimeItSaysTheSpawnEnded() {
		TelemetryStorage storage = start(1000, LIMITS);
		Instant spawned = this.clock.instant().minus(Duration.ofDays(3));
		storage.recordSpawn(spawn("backfilled", spawned, "builder", "m")).join();
		storage.recordSpawn(spawn("early", spawned, "builder", "m")).join();
		Instant ended = spawned.plusSeconds(40);

		SpawnChange change = storage.recordOutcome("backfilled", Outcome.COMPLETED, ended, Usage.NONE).join();
		SpawnChange retried = storage.recordOutcome("backfilled", Outcome.COMPLETED, ended, Usage.NONE).join();
		SpawnChange retriedWithoutTime = storage.recordOutcome("backfilled", Outcome.COMPLETED, Usage.NONE).join();
		refusal(storage.recordOutcome("backfilled", Outcome.COMPLETED, ended.plusSeconds(1), Usage.NONE),
				SpawnConflictException.class);
		refusal(storage.recordOutcome("early", Outcome.COMPLETED, spawned.minusMillis(1), Usage.NONE),
				SpawnConflictException.class);

		assertThat(change.spawn().completedAt()).isEqualTo(ended);
		assertThat(List.of(retried.changed(), retriedWithoutTime.changed())).containsExactly(false, false);
		assertThat(storage.current().find("early").orElseThrow().outcome()).isNull();
		DurationHistogram completed = storage.current()
			.models()
			.get("m")
			.byCaste()
			.get("builder")
			.durations(Outcome.COMPLETED);
		assertThat(completed.total()).isEqualTo(1);
		assertThat(completed.percentile(0.99)).isBetween(Duration.ofSeconds(32), Duration.ofSeconds(64));
	}

	@Test
	void sumsUsageForTheSpawnItsModelAndItsCaste() {
		TelemetryStorage storage = start(1000, LIMITS);
		storage.recordSpawn(spawn("a", null, "builder", "m")).join();
		storage.recordSpawn(spawn("b", null, "scout", "m")).join();

		storage.addUsage("a", new Usage(100, new ToolUsage(1, 2, 0, 0)), null).join();
		SpawnChange added = storage.addUsage("a", new Usage(50, new ToolUsage(0, 0, 3, 0)), null).join();
		storage.recordOutcome("b", Outcome.BLOCKED, new Usage(7, new ToolUsage(0, 0, 0, 4))).join();

		assertThat(added.tokensAdded()).isEqualTo(50);
		assertThat(added.spawn().tokens()).isEqualTo(150);
		assertThat(added.spawn().tools()).isEqualTo(new ToolUsage(1, 2, 3, 0));
		ModelStats model = storage.current().models().get("m");
		assertThat(model.byCaste().get("builder").tokens()).isEqualTo(150);
		assertThat(model.byCaste().get("scout").tools()).isEqualTo(new ToolUsage(0, 0, 0, 4));
		assertThat(model.tokens()).isEqualTo(157);
		assertThat(model.tools()).isEqualTo(new ToolUsage(1, 2, 3, 4));
	}

	@Test
	void addsUsageOncePerIdempotencyKey() {
		TelemetryStorage storage = start(1000, LIMITS);
		storage.recordSpawn(spawn("a", null, "builder", "m")).join();

		SpawnChange first = storage.addUsage("a", new Usage(40, new ToolUsage(1, 0, 0, 0)), "key-1").join();
		SpawnChange retried = storage.addUsage("a", new Usage(40, new ToolUsage(1, 0, 0, 0)), "key-1").join();
		SpawnChange other = storage.addUsage("a", new Usage(2, ToolUsage.NONE), "key-2").join();

		assertThat(first.changed()).isTrue();
		assertThat(retried.changed()).isFalse();
		assertThat(retried.spawn().tokens()).isEqualTo(40);
		assertThat(other.spawn().tokens()).isEqualTo(42);
		assertThat(storage.current().models().get("m").tokens()).isEqualTo(42);
		assertThat(storage.current().models().get("m").tools()).isEqualTo(new ToolUsage(1, 0, 0, 0));
	}

	@Test
	void refusesUsageThatWouldOverflowAndKeepsWhatItHad() {
		TelemetryStorage storage = start(1000, LIMITS);
		storage.recordSpawn(spawn("a", null, "builder", "m")).join();
		storage.addUsage("a", new Usage(Long.MAX_VALUE - 1, ToolUsage.NONE), null).join();

		refusal(storage.addUsage("a", new Usage(2, ToolUsage.NONE), null), LimitExceededException.class);

		assertThat(storage.current().find("a").orElseThrow().tokens()).isEqualTo(Long.MAX_VALUE - 1);
		assertThat(storage.current().models().get("m").tokens()).isEqualTo(Long.MAX_VALUE - 1);
	}

	@Test
	void countsWhatTheRecommendationsRankBy() {
		TelemetryStorage storage = start(1000, LIMITS);
		List<CompletableFuture<SpawnChange>> writes = new ArrayList<>();
		for (int i = 0; i < 24; i++) {
			writes.add(storage.recordSpawn(spawn("w" + i, null, "oracle", "kimi-k2.5")));
		}
		writes.forEach(CompletableFuture::join);
		for (int i = 0; i < 23; i++) {
			Outcome outcome = (i < 19) ? Outcome.COMPLETED : (i < 21) ? Outcome.FAILED : Outcome.BLOCKED;
			storage.recordOutcome("w" + i, outcome, Usage.NONE).join();
		}

		CasteStats oracle = storage.current().models().get("kimi-k2.5").byCaste().get("oracle");

		assertThat(List.of(oracle.spawns(), oracle.completed(), oracle.failed(), oracle.blocked())).containsExactly(24L,
				19L, 2L, 2L);
	}

	@Test
	void showsNothingOfAWriteTheStorageRefusedAndRecovers() throws Exception {
		TelemetryStorage storage = start(1000, LIMITS);
		storage.recordSpawn(spawn("kept", null, "builder", "m")).join();
		TelemetrySnapshot before = storage.current();

		try (AutoCloseable refusing = refuseWrites()) {
			refusal(storage.recordSpawn(spawn("lost", null, "builder", "m")), StorageUnavailableException.class);
			refusal(storage.recordOutcome("kept", Outcome.COMPLETED, Usage.NONE), StorageUnavailableException.class);

			assertThat(storage.current().find("lost")).isEmpty();
			assertThat(storage.current().find("kept").orElseThrow().outcome()).isNull();
			assertThat(storage.current().totalSpawns()).isEqualTo(1);
			assertThat(storage.current().version()).isEqualTo(before.version());
			assertThat(storage.health().up()).isFalse();
		}

		assertThat(storage.recordSpawn(spawn("lost", null, "builder", "m")).join().changed()).isTrue();
		assertThat(storage.current().totalSpawns()).isEqualTo(2);
		assertThat(storage.current().version()).isGreaterThan(before.version());
		assertThat(storage.health().up()).isTrue();
	}

	@Test
	void ordersStatesByVersion() {
		TelemetryStorage storage = start(1000, LIMITS);
		long empty = storage.current().version();

		storage.recordSpawn(spawn("a", null, "builder", "m")).join();
		long one = storage.current().version();
		storage.addUsage("a", new Usage(1, ToolUsage.NONE), null).join();

		assertThat(one).isGreaterThan(empty);
		assertThat(storage.current().version()).isGreaterThan(one);
	}

	@Test
	void countsEverySpawnOfAWindowInItsBucketsBeyondTheLog() {
		TelemetryStorage storage = start(3, LIMITS);
		Instant now = this.clock.instant();
		for (int i = 0; i < 6; i++) {
			storage.recordSpawn(spawn("w" + i, now.minus(Duration.ofHours(i * 5L)), "builder", "kimi")).join();
			storage
				.recordOutcome("w" + i, (i % 2 == 0) ? Outcome.COMPLETED : Outcome.FAILED,
						new Usage(10, new ToolUsage(1, 0, 0, 0)))
				.join();
		}

		SpawnWindow lastTwoDays = window(storage, BucketSize.HOUR, now.minus(Duration.ofDays(2)), null, "builder");

		assertThat(storage.current().decisions()).hasSize(3);
		assertThat(lastTwoDays.spawns()).as("the log holds 3, the buckets all 6").isEqualTo(6);
		CasteStats kimi = lastTwoDays.byModel().get("kimi");
		assertThat(List.of(kimi.completed(), kimi.failed(), kimi.tokens(), kimi.tools().read())).containsExactly(3L, 3L,
				60L, 6L);
		assertThat(kimi).as("the counters; the routing evidence is no bucket's")
			.isEqualTo(storage.current().models().get("kimi").byCaste().get("builder").withRouting(RouteEvidence.NONE));
		assertThat(window(storage, BucketSize.HOUR, now.minus(Duration.ofDays(2)), null, "scout").spawns()).isZero();
	}

	@Test
	void countsAnOutcomeAndUsageInTheBucketOfItsSpawnHoweverLateTheyCome() {
		TelemetryStorage storage = start(1000, LIMITS);
		Instant spawned = Instant.parse("2026-05-30T09:15:00Z");
		storage.recordSpawn(spawn("late", spawned, "scout", "glm-5")).join();
		this.clock.advance(Duration.ofDays(2));

		storage.recordOutcome("late", Outcome.BLOCKED, new Usage(5, ToolUsage.NONE)).join();
		storage.addUsage("late", new Usage(7, ToolUsage.NONE), "k1").join();

		List<TimeBucket> hours = storage.buckets(new BucketQuery(BucketSize.HOUR,
				this.clock.instant().minus(Duration.ofDays(5)), this.clock.instant(), null, null, null));
		assertThat(hours).extracting(TimeBucket::start).containsExactly(Instant.parse("2026-05-30T09:00:00Z"));
		CasteStats stats = hours.get(0).byModel().get("glm-5");
		assertThat(List.of(stats.spawns(), stats.blocked(), stats.tokens())).containsExactly(1L, 1L, 12L);
		assertThat(stats.durations(Outcome.BLOCKED).total()).isEqualTo(1);
		List<TimeBucket> days = storage.buckets(new BucketQuery(BucketSize.DAY, Instant.parse("2026-05-01T00:00:00Z"),
				Instant.parse("2026-06-10T00:00:00Z"), null, null, null));
		assertThat(days).extracting(TimeBucket::start).containsExactly(Instant.parse("2026-05-30T00:00:00Z"));
		assertThat(days.get(0).byModel().get("glm-5")).isEqualTo(stats);
	}

	@Test
	void putsASpawnInTheBucketItsTimestampFallsInAtEveryBoundary() {
		TelemetryStorage storage = start(1000, LIMITS);
		storage.recordSpawn(spawn("before", Instant.parse("2026-05-31T23:59:59.999999999Z"), "b", "m")).join();
		storage.recordSpawn(spawn("at", Instant.parse("2026-06-01T00:00:00Z"), "b", "m")).join();
		storage.recordSpawn(spawn("within", Instant.parse("2026-06-01T00:59:59.999Z"), "b", "m")).join();

		assertThat(storage.buckets(new BucketQuery(BucketSize.HOUR, Instant.parse("2026-05-31T23:00:00Z"),
				Instant.parse("2026-06-01T02:00:00Z"), null, null, null)))
			.extracting((bucket) -> bucket.start() + "=" + bucket.byModel().get("m").spawns())
			.containsExactly("2026-05-31T23:00:00Z=1", "2026-06-01T00:00:00Z=2");
		assertThat(storage.buckets(new BucketQuery(BucketSize.DAY, Instant.parse("2026-05-31T00:00:00Z"),
				Instant.parse("2026-06-02T00:00:00Z"), null, null, null)))
			.extracting((bucket) -> bucket.start() + "=" + bucket.byModel().get("m").spawns())
			.containsExactly("2026-05-31T00:00:00Z=1", "2026-06-01T00:00:00Z=2");
		assertThat(storage.buckets(new BucketQuery(BucketSize.HOUR, Instant.parse("2026-06-01T00:00:00Z"),
				Instant.parse("2026-06-01T00:00:00Z"), null, null, null)))
			.isEmpty();
	}

	@Test
	void keepsHoursForTheirHorizonAndDaysForTheirsWhileTheLifetimeCountsEverySpawn() {
		TelemetryStorage storage = start(1000, LIMITS);
		Instant now = this.clock.instant();
		storage.recordSpawn(spawn("recent", now.minus(Duration.ofDays(2)), "b", "m")).join();
		storage.recordSpawn(spawn("weeks", now.minus(Duration.ofDays(20)), "b", "m")).join();
		storage.recordSpawn(spawn("ancient", now.minus(Duration.ofDays(500)), "b", "m")).join();
		storage.recordSpawn(spawn("ahead", now.plus(Duration.ofDays(3)), "b", "m")).join();

		Instant longAgo = now.minus(Duration.ofDays(1000));
		Instant farAhead = now.plus(Duration.ofDays(10));
		assertThat(window(storage, BucketSize.HOUR, longAgo, farAhead, null).spawns()).isEqualTo(1);
		assertThat(window(storage, BucketSize.DAY, longAgo, farAhead, null).spawns()).isEqualTo(2);
		assertThat(storage.current().models().get("m").totalSpawns()).isEqualTo(4);

		this.clock.advance(Duration.ofDays(13));
		storage.recordSpawn(spawn("now", this.clock.instant(), "b", "m")).join();
		farAhead = this.clock.instant().plus(Duration.ofDays(10));
		assertThat(window(storage, BucketSize.HOUR, longAgo, farAhead, null).spawns())
			.as("the hour of 'recent' is now 15 days old: only its day keeps it")
			.isEqualTo(1);
		assertThat(window(storage, BucketSize.DAY, longAgo, farAhead, null).spawns()).isEqualTo(3);
	}

	@Test
	void sumsTheSameSpawnsInHoursAndDaysAndPerSource() {
		TelemetryStorage storage = start(1000, LIMITS);
		Instant day = Instant.parse("2026-05-31T00:00:00Z");
		for (int i = 0; i < 24; i++) {
			String id = "h" + i;
			storage
				.recordSpawn(new NewSpawn(id, day.plus(Duration.ofMinutes(i * 59L)), "t", "c" + (i % 2), "m" + (i % 3),
						(i % 4 == 0) ? "user-override" : "task-based"))
				.join();
			storage.recordOutcome(id, Outcome.values()[i % 3], new Usage(i, ToolUsage.NONE)).join();
		}
		Instant end = day.plus(Duration.ofDays(1));

		SpawnWindow hours = window(storage, BucketSize.HOUR, day, end, null);
		SpawnWindow days = window(storage, BucketSize.DAY, day, end, null);

		assertThat(hours.byModel()).isEqualTo(days.byModel());
		assertThat(hours.bySource()).isEqualTo(days.bySource()).containsEntry("user-override", 6L);
		List<TimeBucket> overridden = storage
			.buckets(new BucketQuery(BucketSize.DAY, day, end, null, null, "user-override"));
		assertThat(overridden).hasSize(1);
		assertThat(overridden.get(0).byModel().values().stream().mapToLong(CasteStats::spawns).sum()).isEqualTo(6);
		assertThat(overridden.get(0).bySource()).containsOnlyKeys("user-override");
		assertThat(storage.buckets(new BucketQuery(BucketSize.DAY, day, end, "m1", "c1", null)).get(0).byModel())
			.containsOnlyKeys("m1");
	}

	/**
	 * A read that does not want the models apart answers each bucket's sums over every
	 * model and caste, as the buckets read with the models apart add up, with the time
	 * each outcome took; however many writes made them.
	 */
	@Test
	void sumsEveryModelOfABucketWhereTheModelsAreNotWantedApart() {
		TelemetryStorage storage = start(1000, LIMITS);
		Instant day = Instant.parse("2026-05-31T00:00:00Z");
		for (int i = 0; i < 30; i++) {
			String id = "e" + i;
			storage
				.recordSpawn(new NewSpawn(id, day.plus(Duration.ofMinutes(i * 41L)), "t", "c" + (i % 3), "m" + (i % 4),
						"task-based"))
				.join();
			if (i % 5 != 0) {
				storage
					.recordOutcome(id, Outcome.values()[i % 3], day.plus(Duration.ofMinutes(i * 41L + i * i)),
							new Usage(i, new ToolUsage(i % 2, 0, 1, 0)))
					.join();
			}
		}
		Instant end = day.plus(Duration.ofDays(1));
		for (BucketSize size : BucketSize.values()) {
			List<TimeBucket> apart = storage.buckets(new BucketQuery(size, day, end, null, null, null, false, true));
			List<TimeBucket> together = storage
				.buckets(new BucketQuery(size, day, end, null, null, null, false, false));

			assertThat(together).extracting(TimeBucket::start)
				.containsExactlyElementsOf(apart.stream().map(TimeBucket::start).toList());
			for (int b = 0; b < apart.size(); b++) {
				CasteStatsSum sum = new CasteStatsSum();
				apart.get(b).byModel().values().forEach(sum::add);
				assertThat(together.get(b).byModel()).as(size + " " + apart.get(b).start())
					.containsOnlyKeys(TimeBucket.EVERY_MODEL)
					.containsEntry(TimeBucket.EVERY_MODEL, sum.toStats());
			}
			assertThat(together.stream()
				.mapToLong((bucket) -> bucket.byModel().get(TimeBucket.EVERY_MODEL).spawns())
				.sum()).isEqualTo(30);
		}
	}

	private static SpawnWindow window(TelemetryStorage storage, BucketSize size, Instant from, Instant to,
			String caste) {
		return SpawnWindow.of(
				storage.buckets(new BucketQuery(size, size.startOf(from),
						(to != null) ? to : size.startOf(Instant.parse("2026-06-30T00:00:00Z")), null, caste, null)),
				size);
	}

	protected static NewSpawn spawn(String id, Instant timestamp, String caste, String model) {
		return new NewSpawn(id, timestamp, "task", caste, model, "task-based");
	}

	private static <T extends Throwable> T refusal(CompletableFuture<?> write, Class<T> type) {
		return type.cast(assertThatExceptionOfType(CompletionException.class).isThrownBy(write::join)
			.withCauseInstanceOf(type)
			.actual()
			.getCause());
	}

	/**
	 * Every outcome of a caste ages the evidence of every model of the caste, lazily: the
	 * evidence of a model nobody plays is stored as its last outcome left it, and read
	 * aged by the caste's outcomes since.
	 */
	@Test
	void agesTheEvidenceOfAModelNobodyPlaysWithEveryOutcomeOfItsCaste() {
		TelemetryStorage storage = start(1000, LIMITS);
		recordOutcomes(storage, "neglected", "builder", 20, Outcome.FAILED);
		RouteEvidence left = storage.current().models().get("neglected").byCaste().get("builder").routing();
		recordOutcomes(storage, "busy", "builder", 300, Outcome.COMPLETED);
		recordOutcomes(storage, "busy", "scout", 50, Outcome.COMPLETED);

		TelemetrySnapshot now = storage.current();
		RouteEvidence stored = now.models().get("neglected").byCaste().get("builder").routing();
		long casteClock = RouteEvidence.casteClock(now.models(), "builder");

		assertThat(stored).as("not written by the other model's outcomes").isEqualTo(left);
		assertThat(casteClock).as("the caste's outcomes, not the scouts'").isEqualTo(320);
		assertThat(stored.agedTo(casteClock).resolved())
			.isCloseTo(left.resolved() * Math.pow(RouteEvidence.DISCOUNT, 300), within(1e-9));
	}

	/**
	 * A routed spawn keeps its task class with its route; its outcome counts in the
	 * evidence of its caste and of its class, another spawn's in its caste's alone.
	 */
	@Test
	void keepsTheTaskClassWithTheRouteAndEvidencePerCasteAndClass() {
		TelemetryStorage storage = start(1000, LIMITS);
		RoutePolicy policy = new RoutePolicy(RoutingProperties.DEFAULTS);
		for (int i = 0; i < 10; i++) {
			SpawnRecord spawn = storage
				.recordSpawn(new NewSpawn("refactor-" + i, null, "t", "builder", null, null,
						new Router.Request(List.of("a"), true, policy.forTaskClass("refactor"))))
				.join()
				.spawn();
			assertThat(spawn.route().taskClass()).isEqualTo("refactor");
			storage.recordOutcome(spawn.spawnId(), Outcome.COMPLETED, Usage.NONE).join();
		}
		recordOutcomes(storage, "a", "builder", 10, Outcome.FAILED);

		RouteEvidence evidence = storage.current().models().get("a").byCaste().get("builder").routing();
		assertThat(evidence.resolved()).isCloseTo(20, within(0.5));
		assertThat(evidence.classes()).containsOnlyKeys("refactor");
		assertThat(evidence.ofClass("refactor").resolved()).isCloseTo(10, within(0.5));
		assertThat(evidence.ofClass("refactor").failures()).isZero();
		assertThat(evidence.ofClass("default").resolved()).isEqualTo(evidence.resolved());
		assertThat(storage.current().find("refactor-3").orElseThrow().route().taskClass()).isEqualTo("refactor");
	}

	@Test
	void routesAmongTheCandidatesAndKeepsTheRouteAndItsPropensityWithTheSpawn() {
		TelemetryStorage storage = start(1000, LIMITS);
		recordOutcomes(storage, "kimi", "builder", 30, Outcome.COMPLETED);
		recordOutcomes(storage, "glm", "builder", 30, Outcome.FAILED);
		RoutePolicy policy = new RoutePolicy(RoutingProperties.DEFAULTS);
		TelemetrySnapshot before = storage.current();

		SpawnChange routed = storage.recordSpawn(routed("r1", "builder", policy, "kimi", "glm", "new-model")).join();

		SpawnRecord spawn = routed.spawn();
		assertThat(routed.changed()).isTrue();
		assertThat(spawn.source()).isEqualTo(NewSpawn.ROUTED);
		assertThat(spawn.route()).isNotNull();
		assertThat(spawn.route().policy()).isEqualTo(RoutePolicy.NAME);
		assertThat(spawn.route().candidates()).containsExactly("kimi", "glm", "new-model");
		assertThat(spawn.route().reason()).contains(spawn.selectedModel(), "probability");
		long casteClock = RouteEvidence.casteClock(before.models(), "builder");
		Router.Choice expected = policy.choose("r1", "builder", List.of("kimi", "glm", "new-model"),
				(model) -> (before.models().get(model) != null)
						? before.models().get(model).byCaste().get("builder").agedTo(casteClock) : null);
		assertThat(spawn.selectedModel()).isEqualTo(expected.model());
		assertThat(spawn.route().propensity()).isEqualTo(expected.route().propensity());
		assertThat(storage.current().find("r1")).contains(spawn);
		assertThat(storage.current().models().get(spawn.selectedModel()).byCaste().get("builder").spawns())
			.isGreaterThanOrEqualTo(1);
	}

	@Test
	void answersARetryOfARoutedSpawnWithTheRecordedChoiceNeverANewOne() {
		TelemetryStorage storage = start(1000, LIMITS);
		RoutePolicy policy = new RoutePolicy(RoutingProperties.DEFAULTS);
		SpawnRecord first = storage.recordSpawn(routed("r1", "scout", policy, "a", "b", "c", "d")).join().spawn();
		long version = storage.current().version();

		for (int i = 0; i < 5; i++) {
			recordOutcomes(storage, first.selectedModel(), "scout", 1, Outcome.FAILED);
		}
		SpawnChange retry = storage.recordSpawn(routed("r1", "scout", policy, "a", "b", "c", "d")).join();

		assertThat(retry.changed()).isFalse();
		assertThat(retry.spawn()).isEqualTo(first);
		assertThat(storage.current().version()).isGreaterThan(version);
		assertThat(storage.current().models().get(first.selectedModel()).byCaste().get("scout").spawns())
			.as("the routed spawn and the 5 spawns of outcomes, the retry not")
			.isEqualTo(6);
		assertThatExceptionOfType(CompletionException.class)
			.isThrownBy(() -> storage.recordSpawn(routed("r1", "scout", policy, "a", "b")).join())
			.withCauseInstanceOf(SpawnConflictException.class)
			.withMessageContaining("route.candidates");
		assertThatExceptionOfType(CompletionException.class)
			.isThrownBy(() -> storage.recordSpawn(spawn("r1", null, "scout", first.selectedModel())).join())
			.withCauseInstanceOf(SpawnConflictException.class)
			.withMessageContaining("routed by the service");
	}

	@Test
	void refusesARouteWhenACandidateIsPastTheLimitsBeforeChoosing() {
		TelemetryStorage storage = start(1000, new Limits(2, 200));
		recordOutcomes(storage, "a", "builder", 1, Outcome.COMPLETED);
		recordOutcomes(storage, "b", "builder", 1, Outcome.COMPLETED);
		RoutePolicy policy = new RoutePolicy(RoutingProperties.DEFAULTS);

		assertThatExceptionOfType(CompletionException.class)
			.isThrownBy(() -> storage.recordSpawn(routed("r1", "builder", policy, "a", "third")).join())
			.withCauseInstanceOf(LimitExceededException.class);
		assertThat(storage.current().find("r1")).isEmpty();
	}

	@Test
	void keepsRoutingEvidenceThatForgetsAndRaisesAnAlarmWhenTheRateFalls() {
		TelemetryStorage storage = start(1000, LIMITS);
		recordOutcomes(storage, "kimi", "builder", 150, Outcome.COMPLETED);
		RouteEvidence steady = storage.current().models().get("kimi").byCaste().get("builder").routing();
		assertThat(steady.alarm()).isNull();
		assertThat(steady.successes()).isLessThan(150).isGreaterThan(100);
		assertThat(steady.failures()).isZero();

		recordOutcomes(storage, "kimi", "builder", 60, Outcome.FAILED);

		RouteEvidence.DriftAlarm alarm = storage.current()
			.models()
			.get("kimi")
			.byCaste()
			.get("builder")
			.routing()
			.alarm();
		assertThat(alarm).isNotNull();
		assertThat(alarm.before()).isGreaterThan(0.9);
		assertThat(alarm.after()).isLessThan(0.1);
		assertThat(alarm.since()).isBetween(1L, 60L);
		assertThat(alarm.at()).isEqualTo(this.clock.instant());
	}

	/**
	 * Every routed spawn that ended adds its importance weights to the propensity sums of
	 * its caste × task class × model in its hour and its day, in the commit of its
	 * outcome (and of usage after it), however far it left the log; a spawn the client
	 * routed or one still running adds nothing.
	 */
	@Test
	void keepsThePropensitySumsOfRoutedOutcomesInTheBucketsOfTheirSpawns() {
		TelemetryStorage storage = start(5, LIMITS);
		RoutePolicy policy = new RoutePolicy(RoutingProperties.DEFAULTS);
		List<SpawnRecord> ended = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			String taskClass = (i % 4 == 0) ? "refactor" : RouteEvidence.DEFAULT_CLASS;
			SpawnRecord spawn = storage
				.recordSpawn(new NewSpawn("p" + i, null, "t", "builder", null, null,
						new Router.Request(List.of("a", "b", "c"), true, policy.forTaskClass(taskClass))))
				.join()
				.spawn();
			Outcome outcome = (spawn.selectedModel().equals("a") || i % 3 == 0) ? Outcome.COMPLETED : Outcome.FAILED;
			ended.add(
					storage.recordOutcome(spawn.spawnId(), outcome, new Usage(100 + i, ToolUsage.NONE)).join().spawn());
		}
		ended.set(7, storage.addUsage("p7", new Usage(50, ToolUsage.NONE), null).join().spawn());
		storage.recordSpawn(routed("running", "builder", policy, "a", "b", "c")).join();
		recordOutcomes(storage, "a", "builder", 5, Outcome.COMPLETED);

		Instant from = BucketSize.DAY.startOf(this.clock.instant());
		for (BucketSize size : BucketSize.values()) {
			Map<String, Map<String, PropensitySums>> sums = storage.propensitySums(
					new BucketQuery(size, from, from.plus(Duration.ofDays(1)), null, "builder", null, false));
			Map<String, Map<String, PropensitySums>> expected = new TreeMap<>();
			for (SpawnRecord spawn : ended) {
				double p = spawn.route().propensity();
				double r = (spawn.outcome() == Outcome.COMPLETED) ? 1 : 0;
				double u = 1 / (3 * p);
				expected.computeIfAbsent(spawn.selectedModel(), (model) -> new TreeMap<>())
					.merge(PropensitySums.classOf(spawn.route()),
							new PropensitySums(1, (long) r, spawn.tokens(),
									new PropensitySums.WeightSums(1 / p, r / p, 1 / (p * p), r / (p * p),
											spawn.tokens() / p),
									new PropensitySums.WeightSums(u, u * r, u * u, u * u * r, u * spawn.tokens())),
							PropensitySums::plus);
			}
			assertThat(sums).as(size + " buckets").containsOnlyKeys(expected.keySet());
			expected.forEach((model, byClass) -> {
				assertThat(sums.get(model)).containsOnlyKeys(byClass.keySet());
				byClass.forEach((taskClass, want) -> {
					PropensitySums got = sums.get(model).get(taskClass);
					assertThat(List.of(got.resolved(), got.completed(), got.tokens())).containsExactly(want.resolved(),
							want.completed(), want.tokens());
					for (PropensitySums.WeightSums[] pair : List.of(
							new PropensitySums.WeightSums[] { got.always(), want.always() },
							new PropensitySums.WeightSums[] { got.uniform(), want.uniform() })) {
						assertThat(pair[0].weights()).isCloseTo(pair[1].weights(), within(1e-9 * pair[1].weights()));
						assertThat(pair[0].weightedSuccesses()).isCloseTo(pair[1].weightedSuccesses(),
								within(1e-9 * pair[1].weights()));
						assertThat(pair[0].squaredWeights()).isCloseTo(pair[1].squaredWeights(),
								within(1e-9 * pair[1].squaredWeights()));
						assertThat(pair[0].squaredWeightedSuccesses()).isCloseTo(pair[1].squaredWeightedSuccesses(),
								within(1e-9 * pair[1].squaredWeights()));
						assertThat(pair[0].weightedTokens()).isCloseTo(pair[1].weightedTokens(),
								within(1e-9 * pair[1].weightedTokens()));
					}
				});
			});
		}
		assertThat(storage.propensitySums(
				new BucketQuery(BucketSize.DAY, from, from.plus(Duration.ofDays(1)), null, "scout", null, false)))
			.isEmpty();
	}

	/** Spawns with these outcomes of a model for a caste, with the model given. */
	protected static void recordOutcomes(TelemetryStorage storage, String model, String caste, int count,
			Outcome outcome) {
		List<CompletableFuture<SpawnChange>> writes = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String id = UUID.randomUUID().toString();
			storage.recordSpawn(new NewSpawn(id, null, "t", caste, model, "test")).join();
			writes.add(storage.recordOutcome(id, outcome, Usage.NONE));
		}
		writes.forEach(CompletableFuture::join);
	}

	protected static NewSpawn routed(String spawnId, String caste, RoutePolicy policy, String... candidates) {
		return new NewSpawn(spawnId, null, "t", caste, null, null,
				new Router.Request(List.of(candidates), true, policy));
	}

}
