'use strict';

// The reads against a node:http stub: no packaged service needed.

const assert = require('node:assert/strict');
const { test } = require('node:test');

const { startStub } = require('./stub');
const { freePort } = require('./service');
const { createClient, TelemetryError } = require('..');

test('a read answers the service\'s JSON, with the query it was asked', async () => {
  const stub = await startStub();
  try {
    stub.behaviour = (request) => (request.url.startsWith('/recommendations')
      ? { status: 200, body: { recommended: 'kimi-k2.5' } } : undefined);
    const client = createClient({ url: stub.url });

    const advice = await client.recommend('builder', { minResolved: 5, days: 7 });

    assert.equal(advice.recommended, 'kimi-k2.5');
    assert.equal(stub.requests[0].url, '/recommendations?caste=builder&min_resolved=5&days=7');
  } finally {
    await stub.close();
  }
});

test('a refused read throws a TelemetryError with the status and the problem\'s detail', async () => {
  const stub = await startStub();
  try {
    stub.behaviour = () => ({ status: 404, body: { type: 'urn:spawn-telemetry:problem:not-found', detail: 'No spawn of caste \'x\'' } });

    await assert.rejects(createClient({ url: stub.url }).caste('x'), (error) => error instanceof TelemetryError
      && error.status === 404 && error.message === 'No spawn of caste \'x\'' && error.problem.type.endsWith('not-found'));
  } finally {
    await stub.close();
  }
});

test('readIfChanged answers null while the ETag matches, and the body with its ETag once it changed', async () => {
  const stub = await startStub();
  try {
    stub.behaviour = (request) => (request.headers['if-none-match'] === '"7"'
      ? { status: 304 } : { status: 200, headers: { ETag: '"8"' }, body: { total_spawns: 8 } });
    const client = createClient({ url: stub.url });

    assert.equal(await client.readIfChanged('/stats', '"7"'), null);
    assert.deepEqual(await client.readIfChanged('/stats', '"6"'), { etag: '"8"', body: { total_spawns: 8 } });
  } finally {
    await stub.close();
  }
});

test('an unreachable service makes a read throw a TelemetryError that says where it looked', async () => {
  const url = `http://127.0.0.1:${await freePort()}`;

  await assert.rejects(createClient({ url, timeoutMs: 500 }).summary(),
    (error) => error instanceof TelemetryError && error.status === undefined && error.message.includes(`cannot reach ${url}`));
});
