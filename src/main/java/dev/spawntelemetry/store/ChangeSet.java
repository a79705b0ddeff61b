package dev.spawntelemetry.store;

import java.util.ArrayList;
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
	 * What a batch changes, gathered as it goes: the spawns it changed (those it created
	 * named apart), the model × caste aggregates it changed, what it added to each time
	 * cell, and the spawns it rotated out of the log.
	 */
	public static final class Builder {

		private final Map<String, SpawnRecord> spawns = new LinkedHashMap<>();

		private final Set<String> created = new LinkedHashSet<>();

		private final Set<CasteKey> castes = new LinkedHashSet<>();

		private final Map<TimeCell, CasteStats> addedInTime = new LinkedHashMap<>();

		private final Set<String> rotatedOut = new LinkedHashSet<>();

		public void created(SpawnRecord spawn) {
			changed(spawn);
			this.created.add(spawn.spawnId());
		}

		public void changed(SpawnRecord spawn) {
			this.spawns.put(spawn.spawnId(), spawn);
		}

		public void changed(String model, String caste) {
			this.castes.add(new CasteKey(model, caste));
		}

		public void added(TimeCell cell, CasteStats added) {
			this.addedInTime.merge(cell, added, CasteStats::plus);
		}

		public void rotatedOut(String spawnId) {
			this.rotatedOut.add(spawnId);
		}

		/** Whether anything changed; every change changes a spawn. */
		public boolean isEmpty() {
			return this.spawns.isEmpty();
		}

		/**
		 * The changes, with the aggregates of {@code models} as they now are; of the
		 * spawns beyond the log the batch saw, those it rotated out or changed leave the
		 * log with it.
		 */
		public ChangeSet build(Map<String, ModelStats> models, Map<String, SpawnRecord> retained) {
			Map<CasteKey, CasteStats> changedCastes = new LinkedHashMap<>();
			Map<String, ModelStats> changedModels = new LinkedHashMap<>();
			for (CasteKey key : this.castes) {
				ModelStats model = models.get(key.model());
				changedModels.put(key.model(), model);
				changedCastes.put(key, model.byCaste().get(key.caste()));
			}
			List<SpawnRecord> leftTheLog = new ArrayList<>();
			retained.forEach((spawnId, spawn) -> {
				if (this.rotatedOut.contains(spawnId) || this.spawns.containsKey(spawnId)) {
					leftTheLog.add(spawn);
				}
			});
			return new ChangeSet(List.copyOf(this.spawns.values()), this.created, changedCastes, changedModels,
					this.addedInTime, leftTheLog);
		}

		/** Starts gathering anew. */
		public void clear() {
			this.spawns.clear();
			this.created.clear();
			this.castes.clear();
			this.addedInTime.clear();
			this.rotatedOut.clear();
		}

	}

	/**
	 * One caste of one model.
	 */
	public record CasteKey(String model, String caste) {

	}

}
