package dev.spawntelemetry.store.file;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.spawntelemetry.store.ChangeSet;
import dev.spawntelemetry.telemetry.CasteStats;
import dev.spawntelemetry.telemetry.ModelStats;
import dev.spawntelemetry.telemetry.SpawnRecord;
import dev.spawntelemetry.telemetry.TimeCell;

/**
 * What one batch changed, as absolute values, so that applying it twice is applying it
 * once: every spawn it changed as it now is (those it created named in {@code created}),
 * and for every model it changed the model's totals with only the castes it changed; and
 * what it added to each time cell (which the journal stores as the cells' new values).
 */
record BatchChanges(List<SpawnRecord> spawns, Set<String> created, Map<String, ModelStats> models,
		Map<TimeCell, CasteStats> addedInTime) {

	BatchChanges {
		spawns = List.copyOf(spawns);
		created = Set.copyOf(new LinkedHashSet<>(created));
		models = Map.copyOf(models);
		addedInTime = Map.copyOf(addedInTime);
	}

	/**
	 * A batch's changes as the journal keeps them: per model, only its changed castes.
	 */
	static BatchChanges of(ChangeSet changes) {
		Map<String, Map<String, CasteStats>> castes = new LinkedHashMap<>();
		changes.castes()
			.forEach((key, stats) -> castes.computeIfAbsent(key.model(), (model) -> new TreeMap<>())
				.put(key.caste(), stats));
		Map<String, ModelStats> models = new LinkedHashMap<>();
		castes.forEach((name, changed) -> {
			ModelStats model = changes.models().get(name);
			models.put(name,
					new ModelStats(model.totalSpawns(), model.completed(), model.failed(), model.blocked(), changed));
		});
		return new BatchChanges(changes.spawns(), changes.created(), models, changes.addedInTime());
	}

	/**
	 * Applies the batch to a state being recovered: the aggregates it changed are set,
	 * the spawns it created appended to the log, those it changed replaced where they are
	 * (in the log, or among those kept beyond it), and the oldest rotated out of the log
	 * beyond {@code maxDecisions}, to be kept beyond it.
	 */
	void applyTo(Map<String, ModelStats> models, LinkedHashMap<String, SpawnRecord> log, int maxDecisions,
			Map<String, SpawnRecord> retained) {
		this.models.forEach((name, changed) -> {
			ModelStats model = models.getOrDefault(name, ModelStats.NONE);
			Map<String, CasteStats> byCaste = new TreeMap<>(model.byCaste());
			byCaste.putAll(changed.byCaste());
			models.put(name, new ModelStats(changed.totalSpawns(), changed.completed(), changed.failed(),
					changed.blocked(), byCaste));
		});
		for (SpawnRecord spawn : this.spawns) {
			if (this.created.contains(spawn.spawnId()) || log.containsKey(spawn.spawnId())) {
				log.put(spawn.spawnId(), spawn);
			}
			else {
				retained.put(spawn.spawnId(), spawn);
			}
		}
		Iterator<SpawnRecord> oldestFirst = log.values().iterator();
		for (int excess = log.size() - maxDecisions; excess > 0; excess--) {
			SpawnRecord oldest = oldestFirst.next();
			oldestFirst.remove();
			retained.put(oldest.spawnId(), oldest);
		}
	}

}
