'use strict';

const { Delivery } = require('./lib/delivery');
const { createHttp } = require('./lib/http');
const { Spool } = require('./lib/spool');
const { uuid7 } = require('./lib/uuid7');

const DEFAULT_URL = 'http://localhost:8080';
const DEFAULT_TIMEOUT_MS = 2000;

/** The part of the timeout a routed spawn waits for the service's choice. */
const ROUTE_SHARE = 0.6;

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

  async function write(entry, deadline = Date.now() + timeoutMs) {
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

  /**
   * Asks the service to choose among the candidates and record the spawn, within
   * ROUTE_SHARE of the timeout. When it cannot answer in that time, the spawn takes the
   * fallback (the first candidate unless given), and is recorded with it, truthfully as
   * not routed (source caste-default), under a new id, through the spool, within what
   * is left of the timeout: a routed spawn the service may still have committed keeps
   * its own id and is never mistaken for it. Never throws; the answer always has a model.
   */
  async function routeSpawn(spawn) {
    const started = Date.now();
    const candidates = spawn.candidates;
    const fallback = spawn.fallback ?? candidates[0];
    const body = {
      spawn_id: spawn.spawn_id || spawn.spawnId || uuid7(),
      timestamp: spawn.timestamp || new Date().toISOString(),
      route: { candidates },
    };
    if (spawn.objective) body.route.objective = spawn.objective;
    for (const field of ['task', 'caste']) {
      if (spawn[field] !== undefined && spawn[field] !== null) body[field] = spawn[field];
    }
    const entry = { op: 'spawn', spawn_id: body.spawn_id, body };
    let result;
    try {
      result = await send(entry, started + Math.floor(timeoutMs * ROUTE_SHARE));
    } catch (error) {
      result = { kind: 'retry', error: `telemetry client error: ${error.message}` };
    }
    if (result.kind === 'delivered') {
      return { ...answer(entry, result), model: result.record.selected_model, routed: true };
    }
    if (result.kind === 'refused' || fallback === undefined) {
      return { ...answer(entry, result), model: fallback, routed: false };
    }
    const unrouted = { spawn_id: uuid7(), timestamp: body.timestamp, model: fallback, source: 'caste-default' };
    for (const field of ['task', 'caste']) {
      if (body[field] !== undefined) unrouted[field] = body[field];
    }
    const recorded = await write({ op: 'spawn', spawn_id: unrouted.spawn_id, body: unrouted }, started + timeoutMs);
    return { ...recorded, model: fallback, routed: false, route_error: result.error };
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

    /**
     * Records a spawn; the client makes its time-ordered id unless spawn_id is given. With
     * candidates instead of model, the service chooses the model and the answer's model
     * says which: see routeSpawn.
     */
    recordSpawn(spawn = {}) {
      if (Array.isArray(spawn.candidates)) return routeSpawn(spawn);
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
    /** What the routing policy would choose for a caste now, without recording a spawn. */
    route(caste, options = {}) {
      const candidates = options.candidates ? options.candidates.join(',') : undefined;
      return read(`/routes/${encodeURIComponent(caste)}${query({ candidates, objective: options.objective })}`);
    },

    /** The success-rate changes the detector found, newest first. */
    alerts(options = {}) {
      return read(`/stats/alerts${query({ days: options.days })}`);
    },

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
