'use strict';

// Write latency of the client with 0, 10,000 and 50,000 entries waiting in its spool, the
// service away: each write is appended and fsynced behind them. Prints the figures and
// their ratio to the empty spool of the same run.   node bench/write-latency.js [writes]

const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const { createClient } = require('..');

const WRITES = Number(process.argv[2] || 300);

function closedPort() {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A spool left by a dead spawner, holding this many entries. */
function deadSpool(dir, entries) {
  const lines = [];
  for (let i = 0; i < entries; i++) {
    const id = `waiting-${i}`;
    lines.push(JSON.stringify({ seq: `seq-${i}`, op: 'spawn', spawn_id: id,
      body: { spawn_id: id, caste: 'builder', model: 'kimi-k2.5', task: 'a task of a typical length '.repeat(6) } }));
  }
  fs.writeFileSync(path.join(dir, 'spool-1764000000000-0123456789ab-0000beef.jsonl'), lines.join('\n') + '\n');
}

function percentile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function measure(waiting, url) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-bench-'));
  if (waiting > 0) deadSpool(dir, waiting);
  const client = createClient({ url, spoolDir: dir, timeoutMs: 1000, logger: { warn: () => undefined } });
  await client.flush(); // takes the dead spawner's entries over; the service is away
  if (client.pending() !== waiting) throw new Error(`${client.pending()} waiting, not ${waiting}`);
  const times = [];
  for (let i = 0; i < WRITES; i++) {
    const started = process.hrtime.bigint();
    const answer = await client.recordSpawn({ caste: 'builder', model: 'kimi-k2.5', task: 'measured' });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (!answer.spooled) throw new Error(JSON.stringify(answer));
  }
  fs.rmSync(dir, { recursive: true, force: true });
  times.sort((a, b) => a - b);
  return { waiting, p50: percentile(times, 0.5), p99: percentile(times, 0.99) };
}

async function main() {
  const url = `http://127.0.0.1:${await closedPort()}`;
  const rows = [];
  for (const waiting of [0, 10000, 50000]) rows.push(await measure(waiting, url));
  console.log(`write latency, service away, ${WRITES} writes each (append + fsync behind the waiting entries)`);
  console.log('  waiting |  p50 ms |  p99 ms | p50 vs empty');
  for (const row of rows) {
    console.log(`${String(row.waiting).padStart(9)} | ${row.p50.toFixed(2).padStart(7)} | ${row.p99.toFixed(2).padStart(7)} | `
      + `${(row.p50 / rows[0].p50).toFixed(2)}x`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
