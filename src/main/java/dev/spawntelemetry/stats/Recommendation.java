package dev.spawntelemetry.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.telemetry.CasteStats;

/**
 * The answer of {@code GET /recommendations}: models for a caste ranked by the lower
 * bound of the 95% Wilson interval of their resolved success rate, so that a model is
 * ranked by what its record shows at the least, not by a lucky streak.
 *
 * @param window the whole time buckets the evidence was drawn from, or null for the
 * lifetime aggregates
 * @param recommended the best model with at least {@code minResolved} resolved spawns, or
 * null
 * @param reason why that model, or why none
 * @param confidence whether the recommended model's interval lies wholly above the
 * runner-up's; false when there is no runner-up to compare with
 */
record Recommendation(String caste, int minResolved, @Nullable Interval window, @Nullable String recommended,
		String reason, boolean confidence, List<RankedEvidence> models) {

	/** Higher lower bound first; then more evidence; then by name, so ties stay put. */
	private static final Comparator<ModelEvidence> BEST_FIRST = Comparator
		.comparingDouble((ModelEvidence evidence) -> (evidence.wilson() != null) ? evidence.wilson().low() : -1)
		.reversed()
		.thenComparing(Comparator.comparingLong(ModelEvidence::resolved).reversed())
		.thenComparing(ModelEvidence::model);

	static Recommendation of(String caste, int minResolved, @Nullable Interval window,
			Map<String, CasteStats> byModel) {
		List<ModelEvidence> sufficient = new ArrayList<>();
		List<ModelEvidence> insufficient = new ArrayList<>();
		byModel.forEach((model, stats) -> {
			ModelEvidence evidence = ModelEvidence.of(model, stats);
			(evidence.resolved() >= minResolved ? sufficient : insufficient).add(evidence);
		});
		sufficient.sort(BEST_FIRST);
		insufficient.sort(BEST_FIRST);
		List<RankedEvidence> ranked = new ArrayList<>();
		sufficient.forEach((evidence) -> ranked.add(new RankedEvidence(ranked.size() + 1, false, evidence)));
		insufficient.forEach((evidence) -> ranked.add(new RankedEvidence(ranked.size() + 1, true, evidence)));
		if (sufficient.isEmpty()) {
			return new Recommendation(caste, minResolved, window, null,
					noRecommendation(caste, minResolved, window, insufficient), false, ranked);
		}
		ModelEvidence best = sufficient.get(0);
		ModelEvidence runnerUp = (sufficient.size() > 1) ? sufficient.get(1) : null;
		boolean confidence = runnerUp != null && best.wilson().low() > runnerUp.wilson().high();
		String reason = best.model() + " has the highest lower bound (" + best.wilson().low()
				+ ") of the 95% Wilson interval of the resolved success rate among the " + sufficient.size()
				+ " model(s) with at least " + minResolved + " resolved " + caste + " spawns; "
				+ ((runnerUp == null) ? "there is no runner-up to compare it with"
						: confidence ? "its interval lies wholly above that of the runner-up, " + runnerUp.model()
								: "its interval overlaps that of the runner-up, " + runnerUp.model()
										+ ", so the difference may be chance");
		return new Recommendation(caste, minResolved, window, best.model(), reason, confidence, ranked);
	}

	private static String noRecommendation(String caste, int minResolved, @Nullable Interval window,
			List<ModelEvidence> insufficient) {
		if (insufficient.isEmpty()) {
			return "No " + caste + " spawns in the last " + window.days() + " days (" + window.from() + " to "
					+ window.to() + ")";
		}
		ModelEvidence most = insufficient.stream()
			.max(Comparator.comparingLong(ModelEvidence::resolved)
				.thenComparing(ModelEvidence::model, Comparator.reverseOrder()))
			.orElseThrow();
		return "No model has at least " + minResolved + " resolved " + caste + " spawns yet (the most: " + most.model()
				+ " with " + most.resolved() + "); record more outcomes or lower min_resolved";
	}

	/**
	 * One ranked model; those short of {@code min_resolved} come after all others.
	 */
	record RankedEvidence(int rank, boolean insufficientData, @JsonUnwrapped ModelEvidence evidence) {

	}

}
