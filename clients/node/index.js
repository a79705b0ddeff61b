'use strict';

const { Delivery } = require('./lib/delivery');
const { createHttp } = require('./lib/http');
const { Spool } = require('./lib/spool');
const { uuid7 } = require('./lib/uuid7');

const DEFAULT_URL = 'http://localhost:8080';
const DEFAULT_TIMEOUT_MS = 2000;

/** How often a process that writes looks for spools left by processes that died. */
const ADOPT_EVERY_MS = 2000;

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
 * kept on disk and delivered, in order, in the background, by this process or, should it
 * die, by the next one that writes to the directory.
 */
function createClient(options = {}) {
  const url = String(options.url || process.env.SPAWN_TELEMETRY_URL || DEFAULT_URL).replace(/\/+$/, '');
  const token = options.token ?? process.env.SPAWN_TELEMETRY_TOKEN;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const logger = options.logger || { warn: (message) => process.stderr.write(`${message}\n`) };
  const http = createHttp({ url, token, timeoutMs });
  const { request, send } = http;
  const refusals = createRefusals({ logger, onRefused: options.onRefused });
  const spool = options.spoolDir ? new Spool(options.spoolDir, { logger }) : null;
  const delivery = spool
    ? new Delivery({ spool, send, timeoutMs, reportRefusal: (entry, result) => refusals.report(entry, result) })
    : null;
  let lastAdoption = 0;

  function answer(entry, result) {
    const refused = refusals.takeRecent();
    const extra = refused.length > 0 ? { refused } : {};
    if (result.kind === 'delivered') {
      return { ok: true, spawn_id: entry.spawn_id, status: result.status, record: result.record, ...extra };
    }
    return { ok: false, spawn_id: entry.spawn_id, status: result.status, error: result.error, ...extra };
  }

  function spooled(entry, error) {
    const refused = refusals.takeRecent();
    return { ok: false, spooled: true, spawn_id: entry.spawn_id, error, ...(refused.length > 0 ? { refused } : {}) };
  }

  /** Takes over what dead processes left, now and then, and delivers it in the background. */
  function adoptNowAndThen() {
    if (Date.now() - lastAdoption < ADOPT_EVERY_MS) return;
    lastAdoption = Date.now();
    spool.adopt()
      .then(({ adopted }) => (adopted > 0 ? delivery.run() : undefined))
      .catch((error) => logger.warn(`spawn-telemetry: could not take over a spool: ${error.message}`));
  }

  /** Keeps a write in the spool, behind what waits there; answers with its fate by the deadline. */
  async function keep(entry, deadline, reason) {
    const kept = await spool.keep(entry);
    if (!kept.ok) {
      return { ok: false, spooled: false, spawn_id: entry.spawn_id, error: `${reason}; and ${kept.error}: it was not kept` };
    }
    if (delivery.backingOff) return spooled(entry, delivery.lastError || reason);
    const fate = delivery.awaitEntry(entry.seq, deadline);
    delivery.run().catch(() => undefined);
    const result = await fate;
    return result ? answer(entry, result) : spooled(entry, delivery.lastError || reason);
  }

  async function write(entry) {
    const deadline = Date.now() + timeoutMs;
    try {
      if (!spool) {
        const result = await send(entry, deadline);
        return answer(entry, result);
      }
      entry.seq = uuid7();
      if (spool.pendingCount() > 0 || delivery.backingOff) {
        // earlier writes wait in the spool: this one goes behind them, in order
        return await keep(entry, deadline, delivery.lastError || 'earlier writes wait in the spool');
      }
      const result = await send(entry, deadline);
      if (result.kind === 'retry') {
        delivery.failed(result);
        return await keep(entry, deadline, result.error);
      }
      if (result.kind === 'refused' && result.status === 404 && entry.op !== 'spawn'
          && spool.spawnWaiting(entry.spawn_id)) {
        // its spawn waits in a spool, maybe another process's: the outcome waits behind it
        delivery.failed({ error: 'its spawn waits in a spool' });
        return await keep(entry, deadline, 'its spawn waits in a spool');
      }
      adoptNowAndThen();
      return answer(entry, result);
    } catch (error) {
      return { ok: false, spawn_id: entry.spawn_id, error: `telemetry client error: ${error.message}` };
    }
  }

  async function read(path) {
    let result;
    try {
      result = await request('GET', path);
    } catch (error) {
      throw new TelemetryError(http.failure(error));
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
      if (!spool) return { ok: true, delivered: 0, refused: [], pending: 0, quarantined: 0 };
      try {
        const { quarantined } = await spool.adopt();
        lastAdoption = Date.now();
        const delivered = delivery.delivered;
        const refusedBefore = refusals.total();
        if (delivery.running) await delivery.running;
        // again while a run gets somewhere: a lost answer costs one more run, an outage none
        for (let before = -1; spool.pendingCount() > 0 && delivery.delivered + refusals.total() !== before;) {
          before = delivery.delivered + refusals.total();
          await delivery.run({ ignoreBackoff: true });
        }
        const pending = spool.pendingCount();
        return {
          ok: pending === 0,
          delivered: delivery.delivered - delivered,
          refused: refusals.since(refusedBefore),
          pending,
          quarantined,
          ...(pending > 0 && delivery.lastError ? { error: delivery.lastError } : {}),
        };
      } catch (error) {
        return { ok: false, delivered: 0, refused: [], pending: -1, quarantined: 0, error: `telemetry client error: ${error.message}` };
      }
    },

    /** Writes waiting in this process's spool. */
    pending: () => (spool ? spool.pendingCount() : 0),

    summary: () => read('/stats'),
    model: (name) => read(`/stats/models/${String(name).split('/').map(encodeURIComponent).join('/')}`),
    routing: ({ days, caste } = {}) => read(`/stats/routing${query({ days, caste })}`),
    ranking: () => read('/stats/ranking'),
    caste: (name) => read(`/stats/castes/${encodeURIComponent(name)}`),
    recommend: (caste, { minResolved, days } = {}) =>
      read(`/recommendations${query({ caste, min_resolved: minResolved, days })}`),
    trends: ({ model, caste, source, bucket, from, to } = {}) =>
      read(`/stats/trends${query({ model, caste, source, bucket, from, to })}`),
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

/**
 * Refusals met while delivering the spool: each is counted, passed to onRefused, logged
 * once per reason, and handed to the next answer of this client.
 */
function createRefusals({ logger, onRefused }) {
  const all = [];
  let recent = [];
  const logged = new Set();
  return {
    report(entry, result) {
      const refusal = { op: entry.op, spawn_id: entry.spawn_id, status: result.status, error: result.error };
      all.push(refusal);
      recent.push(refusal);
      if (onRefused) {
        try {
          onRefused(refusal);
        } catch {
          // the caller's hook must not stop the delivery
        }
      }
      const reason = `${entry.op} ${result.status} ${result.error}`;
      if (!logged.has(reason)) {
        logged.add(reason);
        logger.warn(`spawn-telemetry: a spooled ${entry.op} was refused (${result.status}: ${result.error}); `
          + 'it is not retried. Later refusals for the same reason are counted, not logged.');
      }
    },
    takeRecent() {
      const taken = recent;
      recent = [];
      return taken;
    },
    total: () => all.length,
    since: (index) => all.slice(index),
  };
}

function usageBody(usage) {
  const body = {};
  if (usage.tokens !== undefined) body.tokens = usage.tokens;
  if (usage.tools !== undefined) body.tools = usage.tools;
  return body;
}

module.exports = { createClient, TelemetryError, uuid7 };
