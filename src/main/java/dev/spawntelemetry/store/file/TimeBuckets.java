package dev.spawntelemetry.store.file;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.telemetry.BucketQuery;
import dev.spawntelemetry.telemetry.BucketSize;
import dev.spawntelemetry.telemetry.CasteStats;
import dev.spawntelemetry.telemetry.CasteStatsSum;
import dev.spawntelemetry.telemetry.HistoryProperties;
import dev.spawntelemetry.telemetry.TimeBucket;
import dev.spawntelemetry.telemetry.TimeCell;

/**
 * The file backend's time buckets, immutable: a change copies only the buckets it
 * touches, so that publishing one per batch costs what the batch changed.
 */
final class TimeBuckets {

	static final TimeBuckets EMPTY = new TimeBuckets(new EnumMap<>(BucketSize.class));

	private final Map<BucketSize, NavigableMap<Instant, Map<Cell, CasteStats>>> buckets;

	private TimeBuckets(Map<BucketSize, NavigableMap<Instant, Map<Cell, CasteStats>>> buckets) {
		this.buckets = buckets;
	}

	/** These buckets with what a batch added to its cells. */
	TimeBuckets plus(Map<TimeCell, CasteStats> added) {
		return change(added, CasteStats::plus);
	}

	/** These buckets with the given cells set to the given values. */
	TimeBuckets with(Map<TimeCell, CasteStats> values) {
		return change(values, (old, value) -> value);
	}

	private TimeBuckets change(Map<TimeCell, CasteStats> changes,
			java.util.function.BinaryOperator<CasteStats> combine) {
		if (changes.isEmpty()) {
			return this;
		}
		Map<BucketSize, NavigableMap<Instant, Map<Cell, CasteStats>>> next = new EnumMap<>(BucketSize.class);
		next.putAll(this.buckets);
		Map<BucketSize, Map<Instant, Map<Cell, CasteStats>>> copied = new EnumMap<>(BucketSize.class);
		changes.forEach((cell, change) -> {
			NavigableMap<Instant, Map<Cell, CasteStats>> ofSize = next.get(cell.size());
			Map<Instant, Map<Cell, CasteStats>> copies = copied.computeIfAbsent(cell.size(), (size) -> new HashMap<>());
			if (copies.isEmpty()) {
				ofSize = (ofSize != null) ? new TreeMap<>(ofSize) : new TreeMap<>();
				next.put(cell.size(), ofSize);
			}
			NavigableMap<Instant, Map<Cell, CasteStats>> sized = ofSize;
			Map<Cell, CasteStats> bucket = copies.computeIfAbsent(cell.start(), (start) -> {
				Map<Cell, CasteStats> old = sized.get(start);
				Map<Cell, CasteStats> copy = (old != null) ? new HashMap<>(old) : new HashMap<>();
				sized.put(start, copy);
				return copy;
			});
			bucket.merge(new Cell(cell.model(), cell.caste(), cell.source()), change, combine);
		});
		return new TimeBuckets(next);
	}

	/** The values of some cells, as they are here. */
	Map<TimeCell, CasteStats> valuesOf(Iterable<TimeCell> cells) {
		Map<TimeCell, CasteStats> values = new LinkedHashMap<>();
		for (TimeCell cell : cells) {
			NavigableMap<Instant, Map<Cell, CasteStats>> ofSize = this.buckets.get(cell.size());
			Map<Cell, CasteStats> bucket = (ofSize != null) ? ofSize.get(cell.start()) : null;
			CasteStats value = (bucket != null) ? bucket.get(new Cell(cell.model(), cell.caste(), cell.source()))
					: null;
			if (value != null) {
				values.put(cell, value);
			}
		}
		return values;
	}

	/**
	 * These buckets without those older than the history keeps; the same object when none
	 * is.
	 */
	TimeBuckets keptAt(Instant now, HistoryProperties history) {
		Map<BucketSize, NavigableMap<Instant, Map<Cell, CasteStats>>> next = null;
		for (Map.Entry<BucketSize, NavigableMap<Instant, Map<Cell, CasteStats>>> ofSize : this.buckets.entrySet()) {
			Instant oldest = history.oldestKept(ofSize.getKey(), now);
			if (!ofSize.getValue().isEmpty() && ofSize.getValue().firstKey().isBefore(oldest)) {
				if (next == null) {
					next = new EnumMap<>(BucketSize.class);
					next.putAll(this.buckets);
				}
				next.put(ofSize.getKey(), new TreeMap<>(ofSize.getValue().tailMap(oldest, true)));
			}
		}
		return (next != null) ? new TimeBuckets(next) : this;
	}

	/**
	 * The buckets a query selects that hold spawns, oldest first: the cost grows with the
	 * buckets and cells it covers, never with the spawns counted in them.
	 */
	List<TimeBucket> read(BucketQuery query) {
		NavigableMap<Instant, Map<Cell, CasteStats>> ofSize = this.buckets.get(query.size());
		if (ofSize == null || !query.from().isBefore(query.to())) {
			return List.of();
		}
		List<TimeBucket> read = new ArrayList<>();
		ofSize.subMap(query.from(), true, query.to(), false).forEach((start, cells) -> {
			Map<String, CasteStatsSum> byModel = new TreeMap<>();
			Map<String, Long> bySource = new TreeMap<>();
			cells.forEach((cell, stats) -> {
				if ((query.model() != null && !query.model().equals(cell.model()))
						|| (query.caste() != null && !query.caste().equals(cell.caste()))) {
					return;
				}
				String model = query.modelsApart() ? cell.model() : TimeBucket.EVERY_MODEL;
				if (cell.source() == null) {
					if (query.source() == null) {
						byModel.computeIfAbsent(model, (name) -> new CasteStatsSum()).add(stats);
					}
				}
				else if (query.source() == null || query.source().equals(cell.source())) {
					bySource.merge(cell.source(), stats.spawns(), Long::sum);
					if (query.source() != null) {
						byModel.computeIfAbsent(model, (name) -> new CasteStatsSum()).add(stats);
					}
				}
			});
			if (!byModel.isEmpty()) {
				Map<String, CasteStats> sums = new TreeMap<>();
				byModel.forEach((model, sum) -> sums.put(model, sum.toStats()));
				read.add(new TimeBucket(start, sums, bySource));
			}
		});
		return read;
	}

	/** Every cell, bucket by bucket, oldest first within each size. */
	void forEach(BiConsumer<TimeCell, CasteStats> action) {
		this.buckets.forEach((size, ofSize) -> ofSize.forEach((start, cells) -> cells.forEach((cell, stats) -> action
			.accept(new TimeCell(size, start, cell.model(), cell.caste(), cell.source()), stats))));
	}

	/** How many cells there are, for the logs. */
	int cells() {
		return this.buckets.values().stream().flatMap((ofSize) -> ofSize.values().stream()).mapToInt(Map::size).sum();
	}

	/** A cell within a bucket. */
	private record Cell(String model, String caste, @Nullable String source) {

	}

}
