package dev.spawntelemetry.store;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class TelemetryStateTests {

	private final Clock clock = Clock.fixed(Instant.parse("2026-05-01T00:00:00Z"), ZoneOffset.UTC);

	@Test
	void rotatesOutTheOldestBeyondMaxDecisionsAndKeepsCounting() {
		TelemetryState state = new TelemetryState(TelemetrySnapshot.empty(), 2, this.clock);

		state.add(spawn("1"));
		state.add(spawn("2"));
		state.add(spawn("3"));

		TelemetrySnapshot snapshot = state.toSnapshot(1);
		assertThat(snapshot.decisions()).extracting(SpawnRecord::spawnId).containsExactly("2", "3");
		assertThat(snapshot.find("1")).isEmpty();
		assertThat(snapshot.totalSpawns()).isEqualTo(3);
		assertThat(snapshot.models().get("m").byCaste().get("builder").spawns()).isEqualTo(3);
	}

	@Test
	void countsAnOutcomeOnceWhenItIsGained() {
		TelemetryState state = new TelemetryState(TelemetrySnapshot.empty(), 10, this.clock);
		SpawnRecord spawn = spawn("1");
		state.add(spawn);

		state.update(spawn.withOutcome(Outcome.FAILED, this.clock.instant()));
		state.update(spawn.withOutcome(Outcome.FAILED, this.clock.instant()).withUsageAdded(5, ToolUsage.NONE));

		ModelStats stats = state.toSnapshot(1).models().get("m");
		assertThat(stats.failedCompletions()).isEqualTo(1);
		assertThat(stats.byCaste().get("builder").failures()).isEqualTo(1);
	}

	@Test
	void neverChangesARecordedOutcome() {
		TelemetryState state = new TelemetryState(TelemetrySnapshot.empty(), 10, this.clock);
		SpawnRecord spawn = spawn("1");
		state.add(spawn);
		state.update(spawn.withOutcome(Outcome.FAILED, this.clock.instant()));

		assertThatIllegalStateException()
			.isThrownBy(() -> state.update(spawn.withOutcome(Outcome.COMPLETED, this.clock.instant())));
	}

	@Test
	void trimsALoadedLogLongerThanMaxDecisions() {
		TelemetryState big = new TelemetryState(TelemetrySnapshot.empty(), 10, this.clock);
		for (int i = 0; i < 5; i++) {
			big.add(spawn(Integer.toString(i)));
		}

		TelemetryState small = new TelemetryState(big.toSnapshot(1), 3, this.clock);

		assertThat(small.toSnapshot(2).decisions()).extracting(SpawnRecord::spawnId).containsExactly("2", "3", "4");
	}

	@Test
	void reportsChangesUntilSnapshotTaken() {
		TelemetryState state = new TelemetryState(TelemetrySnapshot.empty(), 10, this.clock);
		assertThat(state.hasChanges()).isFalse();

		state.add(spawn("1"));
		assertThat(state.hasChanges()).isTrue();

		state.toSnapshot(1);
		assertThat(state.hasChanges()).isFalse();
	}

	private SpawnRecord spawn(String id) {
		return new SpawnRecord(id, this.clock.instant(), "t", "builder", "m", "task-based", null, null, 0,
				ToolUsage.NONE);
	}

}
