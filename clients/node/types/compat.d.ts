export interface SpawnInfo {
  task?: string;
  caste?: string;
  model?: string;
  source?: string;
  timestamp?: string;
}

export function recordSpawnTelemetry(repoPath: string, spawnInfo: SpawnInfo):
  Promise<{ success: boolean; decision_id: string | null; spooled?: boolean; error?: string }>;

/** Delivers what waits in the repository's spool, as the client's flush() does. */
export function flush(repoPath: string): Promise<import('./index').FlushResult>;

export function updateSpawnOutcome(repoPath: string, spawnId: string, outcome: 'completed' | 'failed' | 'blocked'):
  Promise<boolean>;

export interface CasteCounts {
  spawns: number;
  success: number;
  failures: number;
  blocked: number;
}

export function getTelemetrySummary(repoPath: string): Promise<{
  total_spawns: number;
  total_models: number;
  models: Record<string, { total_spawns: number; success_rate: number; by_caste: Record<string, CasteCounts> }>;
  recent_decisions: any[];
}>;

export function getModelPerformance(repoPath: string, model: string): Promise<{
  model: string;
  total_spawns: number;
  successful_completions: number;
  failed_completions: number;
  blocked: number;
  success_rate: number;
  by_caste: Record<string, CasteCounts>;
} | null>;

export function getRoutingStats(repoPath: string, options?: { days?: number; caste?: string }): Promise<{
  total_decisions: number;
  by_source: Record<string, number>;
  by_model: Record<string, number>;
  date_range: { earliest: string; latest: string } | null;
}>;
