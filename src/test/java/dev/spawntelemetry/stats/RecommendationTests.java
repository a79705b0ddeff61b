package dev.spawntelemetry.stats;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.spawntelemetry.telemetry.BucketSize;
import dev.spawntelemetry.telemetry.CasteStats;

import static org.assertj.core.api.Assertions.assertThat;

class RecommendationTests {

	@Test
	void ranksByLowerWilsonBoundNotByRawRate() {
		Recommendation recommendation = Recommendation.of("builder", 1, null,
				Map.of("lucky", resolved(1, 1), "steady", resolved(95, 100)));

		assertThat(models(recommendation)).containsExactly("steady", "lucky");
		assertThat(recommendation.recommended()).isEqualTo("steady");
	}

	@Test
	void listsModelsShortOfMinResolvedAfterTheOthers() {
		Recommendation recommendation = Recommendation.of("builder", 10, null,
				Map.of("few", resolved(9, 9), "many", resolved(6, 20), "none", new CasteStats(4, 0, 0, 0)));

		assertThat(models(recommendation)).containsExactly("many", "few", "none");
		assertThat(recommendation.models()).extracting(Recommendation.RankedEvidence::insufficientData)
			.containsExactly(false, true, true);
		assertThat(recommendation.models()).extracting(Recommendation.RankedEvidence::rank).containsExactly(1, 2, 3);
		assertThat(recommendation.models().get(2).evidence().wilson()).isNull();
		assertThat(recommendation.models().get(2).evidence().open()).isEqualTo(4);
		assertThat(recommendation.recommended()).isEqualTo("many");
	}

	@Test
	void recommendsNoneWithAReasonWhenNoModelHasEnoughData() {
		Recommendation recommendation = Recommendation.of("scout", 10, null,
				Map.of("a", resolved(3, 4), "b", resolved(1, 2)));

		assertThat(recommendation.recommended()).isNull();
		assertThat(recommendation.confidence()).isFalse();
		assertThat(recommendation.reason()).contains("10 resolved scout spawns").contains("a with 4");
	}

	@Test
	void isConfidentOnlyWhenTheIntervalsDoNotOverlap() {
		Recommendation separated = Recommendation.of("b", 10, null,
				Map.of("good", resolved(95, 100), "bad", resolved(20, 100)));
		Recommendation overlapping = Recommendation.of("b", 10, null,
				Map.of("good", resolved(8, 10), "fair", resolved(7, 10)));
		Recommendation single = Recommendation.of("b", 10, null, Map.of("only", resolved(100, 100)));

		assertThat(separated.confidence()).isTrue();
		assertThat(overlapping.confidence()).isFalse();
		assertThat(overlapping.recommended()).isEqualTo("good");
		assertThat(single.confidence()).isFalse();
		assertThat(single.recommended()).isEqualTo("only");
		assertThat(single.reason()).contains("no runner-up");
	}

	@Test
	void breaksTiesByMoreEvidenceThenByName() {
		Map<String, CasteStats> byModel = new LinkedHashMap<>();
		byModel.put("zeta", resolved(5, 10));
		byModel.put("alpha", resolved(5, 10));
		byModel.put("mid", resolved(10, 20));

		Recommendation recommendation = Recommendation.of("b", 1, null, byModel);

		assertThat(models(recommendation)).containsExactly("mid", "alpha", "zeta");
		assertThat(Recommendation.of("b", 1, null, Map.of("zeta", resolved(5, 10), "alpha", resolved(5, 10)))
			.recommended()).isEqualTo("alpha");
	}

	@Test
	void saysWhenAWindowHoldsNoSpawns() {
		Interval window = Interval.of(7, Instant.parse("2026-11-18T00:00:00Z"), Instant.parse("2026-11-25T00:00:00Z"),
				BucketSize.HOUR);

		Recommendation recommendation = Recommendation.of("b", 10, window, Map.of());

		assertThat(recommendation.recommended()).isNull();
		assertThat(recommendation.models()).isEmpty();
		assertThat(recommendation.reason()).contains("last 7 days", "2026-11-18T00:00:00Z to 2026-11-25T00:00:00Z");
	}

	@Test
	void countsBlockedAsResolvedButNotSuccessful() {
		ModelEvidence evidence = ModelEvidence.of("m", new CasteStats(10, 4, 2, 2));

		assertThat(evidence.resolved()).isEqualTo(8);
		assertThat(evidence.open()).isEqualTo(2);
		assertThat(evidence.resolvedSuccessRate()).isEqualTo(0.5);
		assertThat(evidence.successRate()).isEqualTo(0.4);
	}

	private static CasteStats resolved(long completed, long resolved) {
		return new CasteStats(resolved, completed, resolved - completed, 0);
	}

	private static List<String> models(Recommendation recommendation) {
		return recommendation.models().stream().map((ranked) -> ranked.evidence().model()).toList();
	}

}
