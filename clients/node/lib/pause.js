'use strict';

/**
 * For the tests of crash safety only: SPAWN_TELEMETRY_CLIENT_PAUSE=<step>[:<n>] stops the
 * process at the n-th time (default the first) it reaches that step, after saying so on
 * stderr, until it is killed. Steps: 'adopt-renamed' (a dead owner's file renamed to this
 * owner, not yet read) and 'delivered' (an entry answered by the service, its ack not yet
 * written).
 */
const [step, nth] = String(process.env.SPAWN_TELEMETRY_CLIENT_PAUSE || '').split(':');
const counts = new Map();

function pausePoint(name) {
  if (name !== step) return;
  const count = (counts.get(name) || 0) + 1;
  counts.set(name, count);
  if (count !== Number(nth || 1)) return;
  process.stderr.write(`paused at ${name}\n`);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10 * 60 * 1000);
}

module.exports = { pausePoint };
