package dev.spawntelemetry.store;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import dev.spawntelemetry.telemetry.HistoryProperties;
import dev.spawntelemetry.telemetry.NewSpawn;
import dev.spawntelemetry.telemetry.SpawnRecord;
import dev.spawntelemetry.telemetry.Limits;
import dev.spawntelemetry.telemetry.TelemetrySnapshot;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the file backend's working state adds to the port's contract: trimming a loaded
 * log, and knowing when it has something to persist.
 */
class WorkingStateTests {

	private final Clock clock = Clock.fixed(Instant.parse("2026-05-01T00:00:00Z"), ZoneOffset.UTC);

	@Test
	void trimsALoadedLogLongerThanMaxDecisions() {
		WorkingState big = state(TelemetrySnapshot.empty(), 10);
		for (int i = 0; i < 5; i++) {
			big.recordSpawn(spawn(Integer.toString(i)));
		}

		WorkingState small = state(big.toSnapshot(1), 3);

		assertThat(small.toSnapshot(2).decisions()).extracting(SpawnRecord::spawnId).containsExactly("2", "3", "4");
	}

	@Test
	void reportsChangesUntilASnapshotIsTakenAndNotForARetry() {
		WorkingState state = state(TelemetrySnapshot.empty(), 10);
		assertThat(state.hasChanges()).isFalse();

		state.recordSpawn(spawn("1"));
		assertThat(state.hasChanges()).isTrue();

		state.toSnapshot(1);
		state.recordSpawn(spawn("1"));
		assertThat(state.hasChanges()).isFalse();
	}

	private WorkingState state(TelemetrySnapshot snapshot, int maxDecisions) {
		return new WorkingState(snapshot, maxDecisions, new Limits(1000, 200), HistoryProperties.DEFAULTS, this.clock,
				WorkingState.NO_RETAINED_SPAWNS);
	}

	private static NewSpawn spawn(String id) {
		return new NewSpawn(id, null, "t", "builder", "m", "task-based");
	}

}
