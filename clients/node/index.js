'use strict';

const { Spool } = require('./lib/spool');
const { uuid7 } = require('./lib/uuid7');

const DEFAULT_URL = 'http://localhost:8080';
const DEFAULT_TIMEOUT_MS = 2000;
const RETRYABLE_STATUSES = new Set([502, 503, 504]);

/** A read the service refused or could not answer. */
class TelemetryError extends Error {
  constructor(message, { status, problem } = {}) {
    super(message);
    this.name = 'TelemetryError';
    this.status = status;
    this.problem = problem;
  }
}

/**
 * A client of spawn-telemetry for a spawner. Its writes never throw and never hold the
 * caller longer than the timeout; with a spool directory, what cannot be delivered now is
 * kept on disk and delivered, in order, by later writes and by flush().
 */
function createClient(options = {}) {
  const url = String(options.url || process.env.SPAWN_TELEMETRY_URL || DEFAULT_URL).replace(/\/+$/, '');
  const token = options.token ?? process.env.SPAWN_TELEMETRY_TOKEN;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const spool = options.spoolDir ? new Spool(options.spoolDir) : null;

  async function request(method, path, { body, headers = {}, deadline } = {}) {
    const remaining = Math.max(1, (deadline ?? Date.now() + timeoutMs) - Date.now());
    const response = await fetch(url + path, {
      method,
      headers: {
        Accept: 'application/json',
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(remaining),
    });
    const text = await response.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: response.status, json };
  }

  /** Sends one write: 'delivered', 'refused' (a 4xx: never retried) or 'retry'. */
  async function send(entry, deadline) {
    const id = encodeURIComponent(entry.spawn_id);
    try {
      const { status, json } = entry.op === 'spawn'
        ? await request('POST', '/spawns', { body: entry.body, deadline })
        : entry.op === 'outcome'
          ? await request('PUT', `/spawns/${id}/outcome`, { body: entry.body, deadline })
          : await request('POST', `/spawns/${id}/usage`, {
            body: entry.body, deadline, headers: { 'Idempotency-Key': entry.key },
          });
      if (status >= 200 && status < 300) return { kind: 'delivered', status, record: json };
      const reason = (json && (json.detail || json.title)) || `HTTP ${status}`;
      if (RETRYABLE_STATUSES.has(status)) return { kind: 'retry', status, error: reason };
      return { kind: 'refused', status, error: reason, problem: json };
    } catch (error) {
      const reason = error.name === 'TimeoutError' || error.name === 'AbortError'
        ? `no answer within ${timeoutMs} ms`
        : `cannot reach ${url}: ${(error.cause && error.cause.code) || error.message}`;
      return { kind: 'retry', error: reason };
    }
  }

  /** Delivers spooled writes in order until one must wait; answers what happened. */
  async function deliverSpool(deadline) {
    const entries = spool.entries();
    const outcome = { delivered: 0, refused: [], pending: 0, error: undefined, answers: new Map() };
    let next = 0;
    for (; next < entries.length; next++) {
      if (deadline !== undefined && Date.now() >= deadline) {
        outcome.error = `no answer within ${timeoutMs} ms`;
        break;
      }
      const result = await send(entries[next], deadline);
      if (result.kind === 'retry') {
        outcome.error = result.error;
        break;
      }
      outcome.answers.set(entries[next].seq, result);
      if (result.kind === 'delivered') outcome.delivered++;
      else outcome.refused.push({ op: entries[next].op, spawn_id: entries[next].spawn_id, error: result.error });
    }
    spool.replace(entries.slice(next));
    outcome.pending = entries.length - next;
    return outcome;
  }

  function answer(entry, result) {
    if (result.kind === 'delivered') {
      return { ok: true, spawn_id: entry.spawn_id, status: result.status, record: result.record };
    }
    return { ok: false, spawn_id: entry.spawn_id, status: result.status, error: result.error };
  }

  async function write(entry) {
    const deadline = Date.now() + timeoutMs;
    try {
      if (!spool) return answer(entry, await send(entry, deadline));
      return await spool.exclusive(async () => {
        entry.seq = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
        if (spool.hasPending()) {
          // earlier writes wait in the spool: this one goes behind them, in order
          spool.append(entry);
          const delivery = await deliverSpool(deadline);
          const result = delivery.answers.get(entry.seq);
          if (result) return answer(entry, result);
          return { ok: false, spooled: true, spawn_id: entry.spawn_id, error: delivery.error };
        }
        const result = await send(entry, deadline);
        if (result.kind !== 'retry') return answer(entry, result);
        spool.append(entry);
        return { ok: false, spooled: true, spawn_id: entry.spawn_id, error: result.error };
      });
    } catch (error) {
      return { ok: false, spawn_id: entry.spawn_id, error: `telemetry client error: ${error.message}` };
    }
  }

  async function read(path) {
    let result;
    try {
      result = await request('GET', path);
    } catch (error) {
      const reason = error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms`
        : `cannot reach ${url}: ${(error.cause && error.cause.code) || error.message}`;
      throw new TelemetryError(reason);
    }
    if (result.status >= 200 && result.status < 300) return result.json;
    const detail = (result.json && (result.json.detail || result.json.title)) || `HTTP ${result.status}`;
    throw new TelemetryError(detail, { status: result.status, problem: result.json });
  }

  function query(params) {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) {
      if (value !== undefined && value !== null) search.set(name, String(value));
    }
    const text = search.toString();
    return text ? `?${text}` : '';
  }

  return {
    url,

    /** Records a spawn; the client makes its time-ordered id unless spawn_id is given. */
    recordSpawn(spawn = {}) {
      const body = {
        spawn_id: spawn.spawn_id || spawn.spawnId || uuid7(),
        timestamp: spawn.timestamp || new Date().toISOString(),
      };
      for (const field of ['task', 'caste', 'model', 'source']) {
        if (spawn[field] !== undefined && spawn[field] !== null) body[field] = spawn[field];
      }
      return write({ op: 'spawn', spawn_id: body.spawn_id, body });
    },

    /** Records how a spawn ended, with its final usage if given. */
    recordOutcome(spawnId, outcome, usage = {}) {
      return write({ op: 'outcome', spawn_id: spawnId, body: { outcome, ...usageBody(usage) } });
    },

    /** Adds usage; safe to retry: every call carries an Idempotency-Key. */
    addUsage(spawnId, usage = {}) {
      return write({ op: 'usage', spawn_id: spawnId, body: usageBody(usage), key: uuid7() });
    },

    /**
     * Delivers what waits in the spool, this process's and that of spawners that have
     * died, in order. Never throws.
     */
    async flush() {
      if (!spool) return { ok: true, delivered: 0, refused: [], pending: 0 };
      try {
        return await spool.exclusive(async () => {
          spool.adoptOrphans();
          const delivery = await deliverSpool(undefined);
          return {
            ok: delivery.pending === 0,
            delivered: delivery.delivered,
            refused: delivery.refused,
            pending: delivery.pending,
            ...(delivery.error ? { error: delivery.error } : {}),
          };
        });
      } catch (error) {
        return { ok: false, delivered: 0, refused: [], pending: -1, error: `telemetry client error: ${error.message}` };
      }
    },

    summary: () => read('/stats'),
    model: (name) => read(`/stats/models/${String(name).split('/').map(encodeURIComponent).join('/')}`),
    routing: ({ days, caste } = {}) => read(`/stats/routing${query({ days, caste })}`),
    ranking: () => read('/stats/ranking'),
    caste: (name) => read(`/stats/castes/${encodeURIComponent(name)}`),
    recommend: (caste, { minResolved, days } = {}) =>
      read(`/recommendations${query({ caste, min_resolved: minResolved, days })}`),
    spawns: ({ limit, caste, model, source, outcome } = {}) =>
      read(`/spawns${query({ limit, caste, model, source, outcome })}`),

    /** A conditional read: null when the ETag still matches. */
    async readIfChanged(path, etag) {
      const response = await fetch(url + path, {
        headers: {
          Accept: 'application/json',
          ...(etag ? { 'If-None-Match': etag } : {}),
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (response.status === 304) return null;
      const body = await response.json().catch(() => null);
      if (!response.ok) throw new TelemetryError((body && body.detail) || `HTTP ${response.status}`, { status: response.status });
      return { etag: response.headers.get('etag'), body };
    },
  };
}

function usageBody(usage) {
  const body = {};
  if (usage.tokens !== undefined) body.tokens = usage.tokens;
  if (usage.tools !== undefined) body.tools = usage.tools;
  return body;
}

module.exports = { createClient, TelemetryError, uuid7 };
