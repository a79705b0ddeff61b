package dev.example.telemetry;

import java.time.OffsetDateTime;
import java.util.List;

import dev.example.telemetry.api.RecommendationsApi;
import dev.example.telemetry.api.RoutesApi;
import dev.example.telemetry.api.SpawnsApi;
import dev.example.telemetry.api.StatsApi;
import dev.example.telemetry.model.CandidateAnswer;
import dev.example.telemetry.model.OutcomeRequest;
import dev.example.telemetry.model.SpawnRecord;
import dev.example.telemetry.model.SpawnRequest;

/**
 * A program written against the Java client (library native) that openapi-generator
 * makes from the service's /v3/api-docs: GeneratedClientsIT compiles it with the client
 * and runs it against the service. Each line it prints is one answer, as the client typed
 * it.
 */
public final class Main {

	public static void main(String[] arguments) throws Exception {
		ApiClient client = new ApiClient();
		client.updateBaseUri(arguments[0]);
		SpawnsApi spawns = new SpawnsApi(client);
		StatsApi stats = new StatsApi(client);
		String model = "openrouter/anthropic/claude-sonnet-4.5";

		SpawnRecord recorded = spawns.recordSpawn(
				new SpawnRequest().spawnId("generated-java-1").task("write the docs").caste("scout").model(model));
		System.out.println("spawn " + recorded.getSpawnId() + " " + recorded.getSelectedModel() + " "
				+ (recorded.getTimestamp() != null));
		SpawnRecord ended = spawns.recordOutcome("generated-java-1", new OutcomeRequest().outcome("failed").tokens(800L));
		System.out.println("outcome " + ended.getOutcome() + " " + ended.getTokens() + " "
				+ (ended.getCompletedAt() != null));
		SpawnRecord read = spawns.getSpawn("generated-java-1");
		System.out.println("read " + read.getSpawnId() + " " + read.getOutcome() + " " + read.getTools().getRead());
		System.out.println("listed " + spawns.listSpawns("scout", null, null, "failed", 5).getSpawns().size());

		System.out.println("model " + stats.getModel(model).getModel() + " " + stats.getModel(model).getTotalSpawns());
		System.out.println("caste " + stats.getCaste("scout").getModels().get(0).getModel());
		System.out.println("trend " + stats.getTrends(null, "scout", null, "hour", OffsetDateTime.now().minusHours(1), null)
			.getTotal()
			.getSpawns());

		List<CandidateAnswer> candidates = new RoutesApi(client).getRoute("scout", List.of(model, "glm-5"), "success", null,
				null)
			.getCandidates();
		double total = candidates.stream().mapToDouble(CandidateAnswer::getProbability).sum();
		System.out.println("route " + candidates.size() + " " + (Math.abs(total - 1) < 1e-9));
		System.out.println("recommendation "
				+ new RecommendationsApi(client).getRecommendation("scout", 1, null).getModels().size());
	}

}
