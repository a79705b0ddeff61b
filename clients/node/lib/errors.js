'use strict';

/** A read the service refused or could not answer. */
class TelemetryError extends Error {
  /**
   * @param {string} message
   * @param {{ status?: number, problem?: any }} [details]
   */
  constructor(message, { status, problem } = {}) {
    super(message);
    this.name = 'TelemetryError';
    this.status = status;
    this.problem = problem;
  }
}

/**
 * Refusals met while delivering the spool: each is counted, passed to onRefused, logged
 * once per reason, and handed to the next answer of this client.
 */
/**
 * @param {{ logger: { warn: (line: string) => void }, onRefused?: (refusal: object) => void }} options
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

module.exports = { TelemetryError, createRefusals };
