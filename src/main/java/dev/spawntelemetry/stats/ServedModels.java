package dev.spawntelemetry.stats;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.telemetry.SpawnRecord;

/**
 * Which models actually served a model's spawns, among its decisions still in the log:
 * those its reporters (OpenTelemetry's {@code gen_ai.response.model}) say another model
 * served, by that model. A share that grows is the first sign that a provider moved an
 * alias.
 *
 * @param ended the model's decisions in the log that have ended
 * @param otherModels how many of those each other model served, most first
 * @param mismatchShare the share of {@code ended} that another model served; null when
 * none has ended
 */
public record ServedModels(long ended, Map<String, Long> otherModels, @Nullable Double mismatchShare) {

	public static ServedModels of(String model, List<SpawnRecord> decisions) {
		long ended = 0;
		Map<String, Long> others = new TreeMap<>();
		for (SpawnRecord decision : decisions) {
			if (decision.selectedModel().equals(model) && decision.outcome() != null) {
				ended++;
				if (decision.servedModel() != null) {
					others.merge(decision.servedModel(), 1L, Long::sum);
				}
			}
		}
		Map<String, Long> mostFirst = new LinkedHashMap<>();
		others.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Long>comparingByValue().reversed())
			.forEach((entry) -> mostFirst.put(entry.getKey(), entry.getValue()));
		long mismatched = others.values().stream().mapToLong(Long::longValue).sum();
		return new ServedModels(ended, mostFirst, (ended > 0) ? (double) mismatched / ended : null);
	}

	/**
	 * The share of each model's ended decisions in the log that another model served, for
	 * the models with any such decision.
	 */
	public static Map<String, Double> mismatchShares(List<SpawnRecord> decisions) {
		Map<String, Double> shares = new TreeMap<>();
		decisions.stream()
			.filter((decision) -> decision.servedModel() != null)
			.map(SpawnRecord::selectedModel)
			.distinct()
			.forEach((model) -> shares.put(model, of(model, decisions).mismatchShare()));
		return shares;
	}

}
