package dev.spawntelemetry.stats;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

import dev.spawntelemetry.telemetry.CasteStats;

/**
 * The answer of {@code GET /stats/castes/{caste}}: every model used for the caste, most
 * used first.
 */
record CasteView(String caste, List<ModelEvidence> models) {

	static CasteView of(String caste, Map<String, CasteStats> byModel) {
		List<ModelEvidence> models = byModel.entrySet()
			.stream()
			.map((entry) -> ModelEvidence.of(entry.getKey(), entry.getValue()))
			.sorted(Comparator.comparingLong(ModelEvidence::spawns).reversed().thenComparing(ModelEvidence::model))
			.toList();
		return new CasteView(caste, models);
	}

}
