'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const { after, before, describe, test } = require('node:test');

const { startService, lossyProxy, tempDir } = require('./service');

const TOKEN = 'node-test-token';
process.env.SPAWN_TELEMETRY_TOKEN = TOKEN;
const { createClient } = require('..');
const compat = require('../compat');

describe('against a live service', () => {
  let service;
  let client;

  before(async () => {
    service = await startService({ args: [`--telemetry.security.write-token=${TOKEN}`] });
    process.env.SPAWN_TELEMETRY_URL = service.url;
    client = createClient({ url: service.url, token: TOKEN, spoolDir: tempDir('spool-live-') });
  });

  after(async () => {
    await service.stop();
  });

  test('records a spawn with a time-ordered id of its own, its outcome and usage', async () => {
    const spawned = await client.recordSpawn({ task: 'fix the parser', caste: 'builder', model: 'kimi-k2.5', source: 'task-based' });
    assert.equal(spawned.ok, true);
    assert.match(spawned.spawn_id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(spawned.status, 201);

    const usage = await client.addUsage(spawned.spawn_id, { tokens: 1200, tools: { read: 3 } });
    const ended = await client.recordOutcome(spawned.spawn_id, 'completed', { tokens: 300, tools: { bash: 1 } });

    assert.equal(usage.ok, true);
    assert.equal(ended.ok, true);
    assert.equal(ended.record.outcome, 'completed');
    assert.equal(ended.record.tokens, 1500);
    assert.deepEqual(ended.record.tools, { read: 3, grep: 0, edit: 0, bash: 1 });
  });

  test('says when a spawn ended: at the call, or at a backfilled completedAt', async () => {
    const started = new Date(Date.now() - 3 * 86_400_000);
    const backfilled = await client.recordSpawn({ caste: 'builder', model: 'kimi-k2.5', timestamp: started.toISOString() });
    const current = await client.recordSpawn({ caste: 'builder', model: 'kimi-k2.5' });
    const endedAt = new Date(started.getTime() + 42_000);

    const called = Date.now();
    const ended = await client.recordOutcome(current.spawn_id, 'completed');
    const old = await client.recordOutcome(backfilled.spawn_id, 'failed', { completedAt: endedAt, tokens: 7 });
    const unreadable = await client.recordOutcome(current.spawn_id, 'completed', { completedAt: 'yesterday' });

    assert.ok(Math.abs(Date.parse(ended.record.completed_at) - called) < 60_000);
    assert.equal(old.record.completed_at, endedAt.toISOString());
    assert.equal(old.record.tokens, 7);
    assert.equal(unreadable.ok, false);
    assert.equal(unreadable.status, 400);
  });

  test('answers every read the service serves', async () => {
    const spawned = await client.recordSpawn({ caste: 'oracle', model: 'openrouter/anthropic/claude-sonnet-4.5' });
    await client.recordOutcome(spawned.spawn_id, 'failed');

    const summary = await client.summary();
    const model = await client.model('openrouter/anthropic/claude-sonnet-4.5');
    const routing = await client.routing({ days: 7, caste: 'oracle' });
    const ranking = await client.ranking();
    const caste = await client.caste('oracle');
    const recommendation = await client.recommend('oracle', { minResolved: 1 });

    assert.ok(summary.total_spawns >= 2);
    assert.equal(model.model, 'openrouter/anthropic/claude-sonnet-4.5');
    assert.equal(model.failed_completions, 1);
    assert.ok(routing.total_decisions >= 1);
    assert.ok(ranking.models.some((entry) => entry.model === 'kimi-k2.5'));
    assert.equal(caste.caste, 'oracle');
    assert.equal(recommendation.caste, 'oracle');
  });

  test('the compat functions give the numbers /stats gives', async () => {
    const recorded = await compat.recordSpawnTelemetry(tempDir('repo-'), { task: 't', caste: 'scout', model: 'glm-5', source: 'user-override' });
    assert.equal(recorded.success, true);
    assert.equal(await compat.updateSpawnOutcome(tempDir('repo-'), recorded.decision_id, 'blocked'), true);

    const stats = await client.summary();
    const summary = await compat.getTelemetrySummary('.');
    const performance = await compat.getModelPerformance('.', 'glm-5');
    const routing = await compat.getRoutingStats('.', { caste: 'scout' });

    assert.equal(summary.total_spawns, stats.total_spawns);
    assert.equal(summary.total_models, stats.total_models);
    for (const [name, model] of Object.entries(stats.models)) {
      assert.equal(summary.models[name].total_spawns, model.total_spawns);
      assert.equal(summary.models[name].success_rate, model.success_rate);
      for (const [casteName, caste] of Object.entries(model.by_caste)) {
        assert.deepEqual(summary.models[name].by_caste[casteName],
          { spawns: caste.spawns, success: caste.success, failures: caste.failures, blocked: caste.blocked });
      }
    }
    assert.deepEqual(Object.keys(summary), ['total_spawns', 'total_models', 'models', 'recent_decisions']);
    assert.equal(performance.model, 'glm-5');
    assert.equal(performance.blocked, stats.models['glm-5'].blocked);
    assert.equal(performance.total_spawns, stats.models['glm-5'].total_spawns);
    assert.equal(await compat.getModelPerformance('.', 'never-seen'), null);
    assert.ok(routing.total_decisions >= 1);
    assert.ok(routing.by_source['user-override'] >= 1);
  });

  test('a wrong token is answered ok: false with the reason, and nothing is spooled', async () => {
    const spoolDir = tempDir('spool-token-');
    const wrong = createClient({ url: service.url, token: 'wrong', spoolDir });

    const result = await wrong.recordSpawn({ caste: 'builder', model: 'kimi-k2.5' });

    assert.equal(result.ok, false);
    assert.equal(result.status, 401);
    assert.match(result.error, /Bearer/);
    assert.equal(result.spooled, undefined);
    assert.deepEqual(fs.readdirSync(spoolDir), []);
  });

  test('a write the service refuses (4xx) is answered with its detail and not spooled', async () => {
    const spoolDir = tempDir('spool-refused-');
    const refusing = createClient({ url: service.url, token: TOKEN, spoolDir });

    const result = await refusing.recordOutcome('never-recorded', 'completed');

    assert.equal(result.ok, false);
    assert.equal(result.status, 404);
    assert.match(result.error, /never-recorded/);
    assert.deepEqual(fs.readdirSync(spoolDir), []);
  });

  test('a write whose answer was lost is delivered again and counted once', async () => {
    const spawnId = 'lost-answers-1';
    let lostSpawn = false;
    let lostUsage = false;
    const proxy = await lossyProxy(service.port, (requestLine) => {
      if (!lostSpawn && requestLine.startsWith('POST /spawns ')) return (lostSpawn = true);
      if (!lostUsage && requestLine.startsWith(`POST /spawns/${spawnId}/usage`)) return (lostUsage = true);
      return false;
    });
    const spoolDir = tempDir('spool-lost-');
    const lossy = createClient({ url: proxy.url, token: TOKEN, spoolDir, timeoutMs: 5000 });
    try {
      const spawned = await lossy.recordSpawn({ spawn_id: spawnId, caste: 'watcher', model: 'lossy-model' });
      const usage = await lossy.addUsage(spawnId, { tokens: 700 });
      const flushed = await lossy.flush();

      assert.equal(spawned.spooled, true);
      assert.equal(usage.spooled, true);
      assert.deepEqual({ ok: flushed.ok, pending: flushed.pending }, { ok: true, pending: 0 });
      const model = await client.model('lossy-model');
      assert.equal(model.total_spawns, 1);
      assert.equal(model.tokens, 700);
      assert.ok(lostSpawn && lostUsage);
    } finally {
      await proxy.close();
    }
  });
});
