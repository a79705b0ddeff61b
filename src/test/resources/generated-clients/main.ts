// A program written against the typescript-fetch client that openapi-generator makes from
// the service's /v3/api-docs: GeneratedClientsIT compiles it with the client (tsc --strict)
// and runs it against the service. Each line it prints is one answer, as the client typed it.
import { Configuration, RecommendationsApi, RoutesApi, SpawnsApi, StatsApi } from './client';

// Node's, declared here so that compiling needs no @types/node
declare const process: { argv: string[]; exit(code: number): never };

async function main(basePath: string): Promise<void> {
  const configuration = new Configuration({ basePath });
  const spawns = new SpawnsApi(configuration);
  const stats = new StatsApi(configuration);
  const model = 'openrouter/anthropic/claude-sonnet-4.5';

  const recorded = await spawns.recordSpawn({
    spawnRequest: { spawnId: 'generated-ts-1', task: 'fix the parser', caste: 'builder', model },
  });
  console.log(`spawn ${recorded.spawnId} ${recorded.selectedModel} ${recorded.timestamp.toISOString().length}`);
  const ended = await spawns.recordOutcome({
    spawnId: 'generated-ts-1',
    outcomeRequest: { outcome: 'completed', tokens: 1200 },
  });
  console.log(`outcome ${ended.outcome} ${ended.tokens} ${ended.completedAt instanceof Date}`);
  const read = await spawns.getSpawn({ spawnId: 'generated-ts-1' });
  console.log(`read ${read.spawnId} ${read.outcome} ${read.tools.read}`);
  const listed = await spawns.listSpawns({ caste: 'builder', outcome: 'completed', limit: 5 });
  console.log(`listed ${listed.spawns.length}`);

  const detail = await stats.getModel({ model });
  console.log(`model ${detail.model} ${detail.totalSpawns} ${detail.successRate}`);
  const caste = await stats.getCaste({ caste: 'builder' });
  console.log(`caste ${caste.caste} ${caste.models.map((m) => m.model).join(',')}`);
  const trend = await stats.getTrends({ bucket: 'hour', caste: 'builder', from: new Date(Date.now() - 3600_000) });
  console.log(`trend ${trend.bucket} ${trend.total.spawns} ${trend.points.length > 0}`);
  const summary = await stats.getSummary();
  console.log(`summary ${summary.totalSpawns} ${summary.recentDecisions.length}`);

  const route = await new RoutesApi(configuration).getRoute({
    caste: 'builder',
    candidates: [model, 'glm-5'],
    objective: 'success',
  });
  const total = route.candidates.reduce((sum, candidate) => sum + candidate.probability, 0);
  console.log(`route ${route.candidates.length} ${Math.abs(total - 1) < 1e-9}`);
  const recommendation = await new RecommendationsApi(configuration).getRecommendation({
    caste: 'builder',
    minResolved: 1,
  });
  console.log(`recommendation ${recommendation.recommended} ${recommendation.models.length}`);
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
