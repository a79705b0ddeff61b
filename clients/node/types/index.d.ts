export interface ClientOptions {
  /** The service; default SPAWN_TELEMETRY_URL or http://localhost:8080. */
  url?: string;
  /** A bearer token; default SPAWN_TELEMETRY_TOKEN. */
  token?: string;
  /** The longest a write holds its caller, in milliseconds; default 2000. */
  timeoutMs?: number;
  /** Where writes that cannot be delivered now wait; without it they are answered ok: false. */
  spoolDir?: string;
  /** Called for each spooled write the service refused when it was delivered later. */
  onRefused?: (refusal: Refusal) => void;
  /** Where the client says what it cannot answer (a refusal met later, lines set aside); default stderr. */
  logger?: { warn(message: string): void };
}

/** A spooled write the service refused (a 4xx) when it was delivered; it is not retried. */
export interface Refusal {
  op: 'spawn' | 'outcome' | 'usage';
  spawn_id: string;
  status: number;
  error: string;
}

export interface ToolCounts {
  read?: number;
  grep?: number;
  edit?: number;
  bash?: number;
}

export interface Usage {
  tokens?: number;
  tools?: ToolCounts;
}

export interface Spawn {
  /** Made by the client (a time-ordered UUID) when left out, so every retry is safe. */
  spawn_id?: string;
  /** The same as spawn_id, in JavaScript's case. */
  spawnId?: string;
  /** ISO-8601; the time of the call when left out. */
  timestamp?: string;
  task?: string;
  caste?: string;
  model?: string;
  source?: string;
}

export type Outcome = 'completed' | 'failed' | 'blocked';

export interface SpawnRecord {
  spawn_id: string;
  timestamp: string;
  task: string;
  caste: string;
  selected_model: string;
  source: string;
  outcome: Outcome | null;
  completed_at: string | null;
  tokens: number;
  tools: Required<ToolCounts>;
  /** The model that served the spawn where an OpenTelemetry span reported another than the one chosen. */
  served_model?: string;
  /** Why it failed or was blocked, where an OpenTelemetry span said (its error.type). */
  outcome_reason?: string;
}

/**
 * What a write answers; it never throws. `refused` lists spooled writes refused since the
 * last answer.
 */
export type WriteResult =
  | { ok: true; spawn_id: string; status: number; record: SpawnRecord; refused?: Refusal[] }
  | { ok: false; spawn_id: string; spooled: true; error: string; refused?: Refusal[] }
  | { ok: false; spawn_id: string; spooled: false; error: string }
  | { ok: false; spawn_id: string; spooled?: undefined; status?: number; error: string; refused?: Refusal[] };

export interface FlushResult {
  ok: boolean;
  delivered: number;
  refused: Refusal[];
  pending: number;
  /** Unreadable lines of spools taken over, set aside in quarantine-*.jsonl. */
  quarantined: number;
  /** Writes waiting in the spools of other spawners still running, which deliver them themselves. */
  waitingElsewhere: number;
  /** How many running spawners those writes wait with. */
  liveSpawners: number;
  error?: string;
}

export interface TelemetryClient {
  readonly url: string;
  /**
   * Records a spawn. With candidates instead of model, the service chooses the model
   * among them and the answer's model says which; when it cannot answer within 60% of the
   * timeout, the spawn takes `fallback` (default: the first candidate) and is recorded
   * with it as source 'caste-default' under a new id (routed: false).
   */
  recordSpawn(spawn?: Spawn | RoutedSpawn): Promise<WriteResult & RouteResult>;
  /**
   * Sends completed_at: now, stamped at the call (so a spooled outcome keeps its true end),
   * or `completedAt` for backfilled history; the service refuses one before the spawn or
   * more than 5 minutes ahead of its clock.
   */
  recordOutcome(spawnId: string, outcome: Outcome, usage?: Usage & { completedAt?: Date | string }): Promise<WriteResult>;
  /** Sends an Idempotency-Key, so that a retry after a lost answer adds nothing. */
  addUsage(spawnId: string, usage: Usage): Promise<WriteResult>;
  flush(): Promise<FlushResult>;
  /** Writes waiting in this process's spool. */
  pending(): number;
  summary(): Promise<any>;
  model(name: string): Promise<any>;
  routing(options?: { days?: number; caste?: string }): Promise<any>;
  ranking(): Promise<any>;
  caste(name: string): Promise<any>;
  recommend(caste: string, options?: { minResolved?: number; days?: number }): Promise<any>;
  /** One point per hour or day bucket (default: the 30 days ending today), and their total. */
  trends(options?: { model?: string; caste?: string; source?: string; bucket?: 'hour' | 'day'; from?: string; to?: string }): Promise<any>;
  spawns(options?: { limit?: number; caste?: string; model?: string; source?: string; outcome?: Outcome | 'open' }): Promise<{ spawns: SpawnRecord[] }>;
  route(caste: string, options?: {
    candidates?: string[];
    objective?: 'success' | 'success-per-token';
    taskClass?: string;
    task?: string;
  }): Promise<any>;
  /** Off-policy evaluation of a caste's routing over the last days (default 7), per task class or all. */
  evaluate(caste: string, options?: { days?: number; taskClass?: string }): Promise<Evaluation>;
  alerts(options?: { days?: number }): Promise<any>;
  readIfChanged(path: string, etag: string | null): Promise<{ etag: string | null; body: any } | null>;
}

/** An estimate of a resolved success rate, with its 95% interval. */
export interface Estimate {
  estimate: number;
  low: number;
  high: number;
}

/** One policy of an evaluation: null estimates when it was not explored enough to tell. */
export interface PolicyValue {
  policy: 'logged' | 'always' | 'uniform' | 'default';
  model: string | null;
  effective_sample_size: number;
  enough_exploration: boolean;
  ips: Estimate | null;
  snips: Estimate | null;
  tokens_per_resolved: number | null;
  summary: string;
}

/** GET /routes/{caste}/evaluation. */
export interface Evaluation {
  caste: string;
  task_class: string | null;
  days: number;
  from: string;
  to: string;
  routed: number;
  chosen_by_client: { resolved: number; completed: number };
  min_effective_sample_size: number;
  policies: PolicyValue[];
  best_fixed: string | null;
  version: number;
}

/** What a routed spawn's answer adds: the model to spawn, and whether the service chose it. */
export interface RouteResult {
  model?: string;
  routed?: boolean;
  route_error?: string;
}

export interface RoutedSpawn {
  spawn_id?: string;
  spawnId?: string;
  timestamp?: string;
  task?: string;
  caste?: string;
  candidates: string[];
  fallback?: string;
  objective?: 'success' | 'success-per-token';
  /** The task class to route on the evidence of; absent: the service classifies the task. */
  task_class?: string;
  taskClass?: string;
}

export function createClient(options?: ClientOptions): TelemetryClient;

/** Thrown by reads the service refused (status set) or could not answer. */
export class TelemetryError extends Error {
  status?: number;
  problem?: any;
}

export function uuid7(): string;
