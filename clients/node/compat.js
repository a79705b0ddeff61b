'use strict';

/**
 * The ancestor's functions (bin/lib/telemetry.js of the in-process module), with the same
 * arguments and result shapes, over the service: a spawn logger switches by changing one
 * require. They answer Promises. The service is found through SPAWN_TELEMETRY_URL (and
 * SPAWN_TELEMETRY_TOKEN); writes that cannot be delivered wait in
 * <repoPath>/.aether/data/telemetry-spool and go out with the next write.
 */

const path = require('node:path');
const { createClient } = require('./index');

const clients = new Map();

/** The longest task the service takes, in UTF-16 code units as it counts them. */
const MAX_TASK = 4096;

/** What compat puts in place of the end of a task too long for the service. */
const TRUNCATED = '… [truncated by spawn-telemetry-client]';

function clientFor(repoPath) {
  const spoolDir = path.join(repoPath || '.', '.aether', 'data', 'telemetry-spool');
  let client = clients.get(spoolDir);
  if (!client) {
    client = createClient({ spoolDir });
    clients.set(spoolDir, client);
  }
  return client;
}

/**
 * Answers { success, decision_id } (and error when not stored); never rejects. A task
 * longer than the service takes is cut, with a marker: the ancestor kept any length, and
 * the spawn still counts.
 */
async function recordSpawnTelemetry(repoPath,
  { task, caste, model, source, timestamp } = /** @type {import('./types/index').Spawn} */ ({})) {
  const result = await clientFor(repoPath).recordSpawn({ task: fitting(task), caste, model, source, timestamp });
  if (result.ok || result.spooled) {
    return { success: true, decision_id: result.spawn_id, ...(result.spooled ? { spooled: true } : {}) };
  }
  reportRefusal('spawn', result);
  return { success: false, decision_id: null, error: result.error };
}

const reported = new Set();

/**
 * The ancestor stored whatever it was given; the service refuses some names (a space in
 * a caste, say). Such a refusal is said on stderr, once per reason, never silently.
 */
function reportRefusal(op, result) {
  const reason = `${op} ${result.status} ${result.error}`;
  if (reported.has(reason)) return;
  reported.add(reason);
  process.stderr.write(result.status
    ? `spawn-telemetry: the service refused a ${op} (${result.status}: ${result.error}); `
      + 'later refusals for the same reason are not logged\n'
    : `spawn-telemetry: a ${op} was neither delivered nor kept: ${result.error}\n`);
}

/** Answers true when the outcome is stored (or safely spooled); never rejects. */
async function updateSpawnOutcome(repoPath, spawnId, outcome) {
  const result = await clientFor(repoPath).recordOutcome(spawnId, outcome);
  if (!(result.ok || result.spooled)) reportRefusal('outcome', result);
  return Boolean(result.ok || result.spooled);
}

/** Delivers what waits in the repository's spool; answers as the client's flush() does. */
function flush(repoPath) {
  return clientFor(repoPath).flush();
}

function fitting(task) {
  if (typeof task !== 'string' || task.length <= MAX_TASK) return task;
  let end = MAX_TASK - TRUNCATED.length;
  // never half of a surrogate pair
  if (/[\uD800-\uDBFF]/.test(task[end - 1])) end--;
  return task.slice(0, end) + TRUNCATED;
}

async function getTelemetrySummary(repoPath) {
  const stats = await clientFor(repoPath).summary();
  const models = {};
  for (const [name, model] of Object.entries(stats.models)) {
    models[name] = { total_spawns: model.total_spawns, success_rate: model.success_rate, by_caste: ancestorCastes(model) };
  }
  return {
    total_spawns: stats.total_spawns,
    total_models: stats.total_models,
    models,
    recent_decisions: stats.recent_decisions,
  };
}

/** The model's performance, or null for a model never recorded. */
async function getModelPerformance(repoPath, model) {
  let detail;
  try {
    detail = await clientFor(repoPath).model(model);
  } catch (error) {
    if (error.status === 404) return null;
    throw error;
  }
  return {
    model: detail.model,
    total_spawns: detail.total_spawns,
    successful_completions: detail.successful_completions,
    failed_completions: detail.failed_completions,
    blocked: detail.blocked,
    success_rate: detail.success_rate,
    by_caste: ancestorCastes(detail),
  };
}

async function getRoutingStats(repoPath, options = {}) {
  const { days, caste } = options;
  return clientFor(repoPath).routing({ days: days && days > 0 ? days : undefined, caste: caste || undefined });
}

function ancestorCastes(model) {
  const castes = {};
  for (const [name, caste] of Object.entries(model.by_caste || {})) {
    castes[name] = { spawns: caste.spawns, success: caste.success, failures: caste.failures, blocked: caste.blocked };
  }
  return castes;
}

module.exports = {
  flush,
  recordSpawnTelemetry,
  updateSpawnOutcome,
  getTelemetrySummary,
  getModelPerformance,
  getRoutingStats,
};
