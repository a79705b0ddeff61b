'use strict';

const assert = require('node:assert/strict');
const { after, before, describe, test } = require('node:test');

const { startService, tempDir } = require('./service');
const { startStub } = require('./stub');
const { createClient } = require('..');

describe('routing through a live service', () => {
  let service;
  let client;

  before(async () => {
    service = await startService({});
    client = createClient({ url: service.url, spoolDir: tempDir('spool-route-') });
  });

  after(async () => {
    await service.stop();
  });

  test('the service chooses among the candidates, records the route, and a retry keeps the choice', async () => {
    for (let i = 0; i < 10; i++) {
      const good = await client.recordSpawn({ caste: 'route-caste', model: 'good', source: 'test' });
      await client.recordOutcome(good.spawn_id, 'completed');
      const bad = await client.recordSpawn({ caste: 'route-caste', model: 'bad', source: 'test' });
      await client.recordOutcome(bad.spawn_id, 'failed');
    }

    const routed = await client.recordSpawn({ task: 't', caste: 'route-caste', candidates: ['good', 'bad'] });

    assert.equal(routed.ok, true);
    assert.equal(routed.routed, true);
    assert.ok(['good', 'bad'].includes(routed.model));
    assert.equal(routed.record.selected_model, routed.model);
    assert.equal(routed.record.source, 'telemetry');
    assert.deepEqual(routed.record.route.candidates, ['good', 'bad']);
    assert.ok(routed.record.route.propensity > 0 && routed.record.route.propensity <= 1);
    const retry = await client.recordSpawn({ spawn_id: routed.spawn_id, timestamp: routed.record.timestamp, task: 't', caste: 'route-caste', candidates: ['good', 'bad'] });
    assert.equal(retry.status, 200);
    assert.equal(retry.model, routed.model);

    const evaluation = await client.evaluate('route-caste', { days: 1 });
    assert.equal(evaluation.routed, 0, 'the retry and the unresolved routed spawn are not evaluated');
    assert.equal(evaluation.chosen_by_client.resolved, 20);
    await client.recordOutcome(routed.spawn_id, 'completed');
    const after = await client.evaluate('route-caste', { days: 1, taskClass: 'default' });
    assert.equal(after.routed, 1);
    assert.equal(after.task_class, 'default');
    const always = after.policies.find((policy) => policy.policy === 'always' && policy.model === routed.model);
    assert.ok(Math.abs(always.effective_sample_size - 1) < 1e-9);
    assert.equal(always.snips, null);
    assert.match(always.summary, /not enough exploration to tell$/);

    const asked = await client.route('route-caste', { candidates: ['good', 'bad'] });
    assert.ok(asked.candidates[0].probability > 0.9);
    const alerts = await client.alerts();
    assert.ok(Array.isArray(alerts.alerts));
  });
});

test('when the service cannot answer in time, the spawn takes the fallback, recorded as not routed, within its timeout', async () => {
  const stub = await startStub();
  try {
    stub.behaviour = (request) => (request.body && request.body.route ? 'hang' : undefined);
    const client = createClient({ url: stub.url, timeoutMs: 500, spoolDir: tempDir('spool-fallback-') });
    const started = Date.now();

    const result = await client.recordSpawn({ task: 't', caste: 'builder', candidates: ['a', 'b'], fallback: 'b' });

    const took = Date.now() - started;
    assert.ok(took < 500 + 250, `answered after ${took} ms`);
    assert.equal(result.model, 'b');
    assert.equal(result.routed, false);
    assert.ok(result.route_error);
    const recorded = stub.requests.filter((request) => request.body && request.body.model === 'b');
    assert.equal(recorded.length, 1);
    assert.equal(recorded[0].body.source, 'caste-default');
    assert.notEqual(recorded[0].body.spawn_id, stub.requests[0].body.spawn_id);
    assert.equal(result.spawn_id, recorded[0].body.spawn_id);

    const first = await createClient({ url: stub.url, timeoutMs: 300 })
      .recordSpawn({ caste: 'builder', candidates: ['x', 'y'] });
    assert.equal(first.model, 'x', 'without a fallback, the first candidate');
  } finally {
    await stub.close();
  }
});
