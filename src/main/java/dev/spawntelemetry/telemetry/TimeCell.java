package dev.spawntelemetry.telemetry;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;

/**
 * Where a spawn is counted in time: the bucket of a size that starts at {@code start},
 * for its model and caste; with a {@code source}, the counts of that routing source
 * within them (spawns, outcomes and tokens; no tools or durations).
 */
public record TimeCell(BucketSize size, Instant start, String model, String caste, @Nullable String source) {

	/**
	 * Counts a change of a spawn in the cells of its own timestamp that the history keeps
	 * now: its hour and its day, each for its model and caste and for its source among
	 * them. A spawn's outcome and usage so land in its bucket however late they come.
	 */
	public static void count(SpawnRecord spawn, CasteStats change, HistoryProperties history, Instant now,
			BiConsumer<TimeCell, CasteStats> into) {
		for (BucketSize size : BucketSize.values()) {
			if (history.counts(size, spawn.timestamp(), now)) {
				TimeCell cell = new TimeCell(size, size.startOf(spawn.timestamp()), spawn.selectedModel(),
						spawn.caste(), null);
				into.accept(cell, change);
				into.accept(cell.ofSource(spawn.source()), countsOnly(change));
			}
		}
	}

	/** What a spawn as it now is counts for, as its writes counted it one by one. */
	public static CasteStats countOf(SpawnRecord spawn) {
		CasteStats stats = CasteStats.NONE.withSpawn().withUsage(spawn.tokens(), spawn.tools());
		if (spawn.outcome() != null && spawn.completedAt() != null) {
			stats = stats.withOutcome(spawn.outcome(), Duration.between(spawn.timestamp(), spawn.completedAt()));
		}
		return stats.withPropensitySums(PropensitySums.of(spawn));
	}

	/** The cell of a source within this model × caste cell. */
	public TimeCell ofSource(String source) {
		return new TimeCell(this.size, this.start, this.model, this.caste, source);
	}

	/** What a source cell keeps of a change. */
	public static CasteStats countsOnly(CasteStats stats) {
		return new CasteStats(stats.spawns(), stats.completed(), stats.failed(), stats.blocked(), stats.tokens(),
				ToolUsage.NONE, 0, Map.of());
	}

}
