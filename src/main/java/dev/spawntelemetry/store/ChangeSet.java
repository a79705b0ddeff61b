package dev.spawntelemetry.store;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.spawntelemetry.telemetry.CasteStats;
import dev.spawntelemetry.telemetry.ModelStats;
import dev.spawntelemetry.telemetry.SpawnRecord;
import dev.spawntelemetry.telemetry.TimeCell;

/**
 * What a batch changed, as its state answers it to whichever backend writes it: every
 * spawn it changed as it now is, in order of first change (those it created named in
 * {@code created}); every model × caste it changed, with its model's totals; what it
 * added to each time cell; and the spawns it took out of the log, as they now are, which
 * a backend that keeps spawns beyond the log must keep from this batch on.
 *
 * @param castes the changed aggregates of each model × caste, as they now are
 * @param models the totals of each model with a changed caste (and all its castes)
 */
public record ChangeSet(List<SpawnRecord> spawns, Set<String> created, Map<CasteKey, CasteStats> castes,
		Map<String, ModelStats> models, Map<TimeCell, CasteStats> addedInTime, List<SpawnRecord> leftTheLog) {

	public static final ChangeSet NONE = new ChangeSet(List.of(), Set.of(), Map.of(), Map.of(), Map.of(), List.of());

	public ChangeSet {
		spawns = List.copyOf(spawns);
		created = Set.copyOf(new LinkedHashSet<>(created));
		castes = Map.copyOf(castes);
		models = Map.copyOf(models);
		addedInTime = Map.copyOf(addedInTime);
		leftTheLog = List.copyOf(leftTheLog);
	}

	/** Whether the batch changed anything; every change changes a spawn. */
	public boolean isEmpty() {
		return this.spawns.isEmpty();
	}

	/**
	 * Each changed model's totals with only its changed castes, as the file backend's
	 * journal keeps them.
	 */
	public Map<String, ModelStats> modelsWithChangedCastesOnly() {
		Map<String, Map<String, CasteStats>> changedCastes = new LinkedHashMap<>();
		this.castes.forEach((key, stats) -> changedCastes.computeIfAbsent(key.model(), (model) -> new TreeMap<>())
			.put(key.caste(), stats));
		Map<String, ModelStats> changedModels = new LinkedHashMap<>();
		changedCastes.forEach((name, changed) -> {
			ModelStats model = this.models.get(name);
			changedModels.put(name,
					new ModelStats(model.totalSpawns(), model.completed(), model.failed(), model.blocked(), changed));
		});
		return changedModels;
	}

	/**
	 * One caste of one model.
	 */
	public record CasteKey(String model, String caste) {

	}

}
