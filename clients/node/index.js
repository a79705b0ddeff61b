'use strict';

const { TelemetryError, createRefusals } = require('./lib/errors');
const { createHttp } = require('./lib/http');
const { createReads } = require('./lib/reads');
const { Spool } = require('./lib/spool');
const { uuid7 } = require('./lib/uuid7');
const { createWrites } = require('./lib/writes');

const DEFAULT_URL = 'http://localhost:8080';
const DEFAULT_TIMEOUT_MS = 2000;

/**
 * A client of spawn-telemetry for a spawner. Its writes (lib/writes) never throw and
 * never hold the caller longer than the timeout; with a spool directory (lib/spool), what
 * cannot be delivered now is kept on disk and delivered in the background (lib/delivery).
 * Its reads (lib/reads) answer the service's JSON or throw a TelemetryError (lib/errors).
 * Every request goes through lib/http. Typed by types/index.d.ts, which `npm run lint` checks
 * this implementation against.
 * @type {typeof import('./types/index').createClient}
 */
const createClient = (options = {}) => {
  const url = String(options.url || process.env.SPAWN_TELEMETRY_URL || DEFAULT_URL).replace(/\/+$/, '');
  const token = options.token ?? process.env.SPAWN_TELEMETRY_TOKEN;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const logger = options.logger || { warn: (/** @type {string} */ message) => process.stderr.write(`${message}\n`) };
  const http = createHttp({ url, token, timeoutMs });
  const refusals = createRefusals({ logger, onRefused: options.onRefused });
  const spool = options.spoolDir ? new Spool(options.spoolDir, { logger }) : null;
  return {
    url,
    ...createWrites({ send: http.send, spool, refusals, timeoutMs, logger }),
    ...createReads(http),
  };
};

module.exports = { createClient, TelemetryError, uuid7 };
