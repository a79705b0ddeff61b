'use strict';

const { Delivery } = require('./delivery');
const { uuid7 } = require('./uuid7');

/** How often a process that writes looks for spools left by processes that died. */
const ADOPT_EVERY_MS = 2000;

/** The part of the timeout a routed spawn waits for the service's choice. */
const ROUTE_SHARE = 0.6;

/**
 * The writes: each answers within the timeout and never throws; with a spool, what
 * cannot be delivered now is kept on disk and delivered, in order, in the background, by
 * this process or, should it die, by the next one that writes to the directory.
 * @param {{ send: ReturnType<typeof import('./http').createHttp>['send'],
 *   spool: import('./spool').Spool | null,
 *   refusals: ReturnType<typeof import('./errors').createRefusals>, timeoutMs: number,
 *   logger: { warn: (line: string) => void } }} options
 */
function createWrites({ send, spool, refusals, timeoutMs, logger }) {
  const delivery = spool
    ? new Delivery({ spool, send, timeoutMs, reportRefusal: (entry, result) => refusals.report(entry, result) })
    : null;
  let lastAdoption = 0;

  /** @returns {import('../types/index').WriteResult} */
  function answer(entry, result) {
    const refused = refusals.takeRecent();
    const extra = refused.length > 0 ? { refused } : {};
    if (result.kind === 'delivered') {
      return { ok: true, spawn_id: entry.spawn_id, status: result.status, record: result.record, ...extra };
    }
    return { ok: false, spawn_id: entry.spawn_id, status: result.status, error: result.error, ...extra };
  }

  /** @returns {import('../types/index').WriteResult} */
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
  /** @returns {Promise<import('../types/index').WriteResult>} */
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

  /** @returns {Promise<import('../types/index').WriteResult>} */
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

  /**
   * Asks the service to choose among the candidates and record the spawn, within
   * ROUTE_SHARE of the timeout. When it cannot answer in that time, the spawn takes the
   * fallback (the first candidate unless given), and is recorded with it, truthfully as
   * not routed (source caste-default), under a new id, through the spool, within what
   * is left of the timeout: a routed spawn the service may still have committed keeps
   * its own id and is never mistaken for it. Never throws; the answer always has a model.
   */
  /**
   * @param {import('../types/index').RoutedSpawn} spawn
   * @returns {Promise<import('../types/index').WriteResult & import('../types/index').RouteResult>}
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
    const taskClass = spawn.task_class ?? spawn.taskClass;
    if (taskClass) body.route.task_class = taskClass;
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

  return {
    /**
     * Records a spawn; the client makes its time-ordered id unless spawn_id is given. With
     * candidates instead of model, the service chooses the model and the answer's model
     * says which: see routeSpawn.
     * @param {import('../types/index').Spawn | import('../types/index').RoutedSpawn} [spawn]
     */
    recordSpawn(spawn = {}) {
      if ('candidates' in spawn && Array.isArray(spawn.candidates)) return routeSpawn(spawn);
      const body = {
        spawn_id: spawn.spawn_id || spawn.spawnId || uuid7(),
        timestamp: spawn.timestamp || new Date().toISOString(),
      };
      for (const field of ['task', 'caste', 'model', 'source']) {
        if (spawn[field] !== undefined && spawn[field] !== null) body[field] = spawn[field];
      }
      return write({ op: 'spawn', spawn_id: body.spawn_id, body });
    },

    /**
     * Records how a spawn ended, with its final usage if given, and when: now unless
     * `completedAt` says otherwise, stamped here so that an outcome that waits in a spool
     * still measures the spawn to its true end.
     * @param {string} spawnId
     * @param {string} outcome
     * @param {{ tokens?: number, tools?: object, completedAt?: Date | string }} [options]
     */
    recordOutcome(spawnId, outcome, { completedAt, ...usage } = {}) {
      const ended = completedAt === undefined || completedAt === null ? new Date() : new Date(completedAt);
      // an unreadable time goes as given: the service's refusal names it
      const completed_at = Number.isNaN(ended.getTime()) ? String(completedAt) : ended.toISOString();
      return write({ op: 'outcome', spawn_id: spawnId, body: { outcome, ...usageBody(usage), completed_at } });
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
      if (!spool) return { ok: true, delivered: 0, refused: [], pending: 0, quarantined: 0, waitingElsewhere: 0, liveSpawners: 0 };
      try {
        const { quarantined, waitingElsewhere, liveOwners } = await spool.adopt();
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
          waitingElsewhere,
          liveSpawners: liveOwners,
          ...(pending > 0 && delivery.lastError ? { error: delivery.lastError } : {}),
        };
      } catch (error) {
        return { ok: false, delivered: 0, refused: [], pending: -1, quarantined: 0, waitingElsewhere: 0, liveSpawners: 0, error: `telemetry client error: ${error.message}` };
      }
    },

    /** Writes waiting in this process's spool. */
    pending: () => (spool ? spool.pendingCount() : 0),
  };
}

function usageBody(usage) {
  const body = {};
  if (usage.tokens !== undefined) body.tokens = usage.tokens;
  if (usage.tools !== undefined) body.tools = usage.tools;
  return body;
}

module.exports = { createWrites };
