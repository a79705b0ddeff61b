'use strict';

const assert = require('node:assert/strict');
const { execFile } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { promisify } = require('node:util');
const { test } = require('node:test');

const { createClient } = require('..');
const { startService, freePort, tempDir } = require('./service');

const run = promisify(execFile);

test('writes while the service is away return within their timeout, spooled; flush delivers each once', async () => {
  const dataDir = tempDir('spawn-telemetry-outage-');
  let service = await startService({ dataDir });
  const { port } = service;
  const spoolDir = tempDir('spool-outage-');
  const client = createClient({ url: service.url, spoolDir, timeoutMs: 1000 });
  const setUp = createClient({ url: service.url, timeoutMs: 60000 });
  const before = await setUp.recordSpawn({ spawn_id: 'before-outage', caste: 'builder', model: 'outage-model' });
  assert.equal(before.ok, true, JSON.stringify(before));
  await service.stop('SIGKILL');

  const answers = [];
  const slowest = { ms: 0 };
  const timed = async (write) => {
    const started = Date.now();
    const answer = await write();
    slowest.ms = Math.max(slowest.ms, Date.now() - started);
    answers.push(answer);
    return answer;
  };
  await timed(() => client.recordOutcome('before-outage', 'completed', { tokens: 5 }));
  for (let i = 0; i < 5; i++) {
    await timed(() => client.recordSpawn({ spawn_id: `during-outage-${i}`, caste: 'scout', model: 'outage-model' }));
    await timed(() => client.addUsage(`during-outage-${i}`, { tokens: 100 }));
    await timed(() => client.recordOutcome(`during-outage-${i}`, 'failed'));
  }

  assert.ok(answers.every((answer) => answer.ok === false && answer.spooled === true), JSON.stringify(answers[0]));
  // bounded by the timeout, with room for a slow machine: never held indefinitely
  assert.ok(slowest.ms < 1000 + 10000, `a write held its caller ${slowest.ms} ms`);

  service = await startService({ dataDir, port });
  try {
    // a slow machine may answer a write of the flush after the client's second: flush again
    let flushed = await client.flush();
    let delivered = flushed.delivered;
    for (let attempt = 0; attempt < 20 && !flushed.ok && flushed.pending > 0; attempt++) {
      flushed = await client.flush();
      delivered += flushed.delivered;
    }
    flushed = { ...flushed, delivered };
    const again = await client.flush();

    assert.deepEqual({ ok: flushed.ok, delivered: flushed.delivered, pending: flushed.pending, refused: flushed.refused },
      { ok: true, delivered: 16, pending: 0, refused: [] });
    assert.equal(again.delivered, 0);
    const model = await setUp.model('outage-model');
    assert.equal(model.total_spawns, 6);
    assert.equal(model.successful_completions, 1);
    assert.equal(model.failed_completions, 5);
    assert.equal(model.tokens, 505);
    assert.deepEqual(fs.readdirSync(spoolDir), []);
  } finally {
    await service.stop();
  }
});

test('two spawner processes spooling into the same directory at once lose nothing', async () => {
  const spoolDir = tempDir('spool-shared-');
  const downUrl = `http://127.0.0.1:${await freePort()}`;
  const spooler = path.join(__dirname, 'spooler.js');

  const [first, second] = await Promise.all([
    run(process.execPath, [spooler, downUrl, spoolDir, 'first', '20']),
    run(process.execPath, [spooler, downUrl, spoolDir, 'second', '20']),
  ]);

  assert.equal(first.stdout.trim(), '60');
  assert.equal(second.stdout.trim(), '60');
  assert.equal(fs.readdirSync(spoolDir).filter((name) => name.endsWith('.jsonl')).length, 2);
  const service = await startService();
  try {
    const client = createClient({ url: service.url, spoolDir });
    const flushed = await client.flush();

    assert.equal(flushed.ok, true, JSON.stringify(flushed));
    assert.equal(flushed.delivered, 120);
    const model = await client.model('spooled-model');
    assert.equal(model.total_spawns, 40);
    assert.equal(model.successful_completions, 40);
    assert.equal(model.tokens, 400);
  } finally {
    await service.stop();
  }
});
