'use strict';

// The spool through real processes, a real file system and a stand-in for the service on
// node:http: what a client answered it kept is delivered, once, whatever happens between.

const assert = require('node:assert/strict');
const { execFile, execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { promisify } = require('node:util');
const { test } = require('node:test');

const { createClient } = require('..');
const { startStub } = require('./stub');
const { freePort, tempDir, sleep } = require('./service');

const run = promisify(execFile);
const SPAWNER = path.join(__dirname, 'children', 'spawner.js');

/** Polls until the condition holds; a slow machine gets a generous deadline. */
async function until(condition, what, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

function quietLogger() {
  const lines = [];
  return { lines, warn: (line) => lines.push(line) };
}

/** Spools count spawns from a child process that then exits, as a dead spawner leaves them. */
async function spoolFromChild(spoolDir, prefix, count) {
  const downUrl = `http://127.0.0.1:${await freePort()}`;
  const { stdout } = await run(process.execPath, [SPAWNER, 'spool', downUrl, spoolDir, prefix, String(count)]);
  return JSON.parse(stdout);
}

function spoolFiles(spoolDir) {
  return fs.readdirSync(spoolDir).filter((name) => name.endsWith('.jsonl') && name.startsWith('spool-'));
}

test('a 500, a 408 or a 429 keeps the write, and the client delivers it by itself once the service answers', async () => {
  const stub = await startStub();
  try {
    const answers = [500, 408, 429];
    stub.behaviour = () => (answers.length > 0 ? { status: answers.shift(), body: { detail: 'not now' } } : undefined);
    const client = createClient({ url: stub.url, spoolDir: tempDir('spool-5xx-'), timeoutMs: 1000, logger: quietLogger() });

    const first = await client.recordSpawn({ spawn_id: 'five-hundred', caste: 'builder', model: 'm' });

    assert.equal(first.spooled, true, JSON.stringify(first));
    await until(() => client.pending() === 0, 'the spooled spawn delivered by the backoff timer');
    assert.ok(stub.spawns.has('five-hundred'));
    assert.equal(stub.received('spawn').length, 4);
  } finally {
    await stub.close();
  }
});

test('a 429 with Retry-After is honoured: nothing is sent before it', async () => {
  const stub = await startStub();
  try {
    let refusedAt = 0;
    stub.behaviour = (request) => {
      if (refusedAt === 0) {
        refusedAt = request.at;
        return { status: 429, headers: { 'Retry-After': '2' }, body: { detail: 'slow down' } };
      }
      return undefined;
    };
    const client = createClient({ url: stub.url, spoolDir: tempDir('spool-429-'), timeoutMs: 1000, logger: quietLogger() });

    assert.equal((await client.recordSpawn({ spawn_id: 'r1', caste: 'b', model: 'm' })).spooled, true);
    assert.equal((await client.recordSpawn({ spawn_id: 'r2', caste: 'b', model: 'm' })).spooled, true);
    await until(() => stub.spawns.has('r2'), 'both delivered after the pause');

    const retried = stub.requests.filter((request) => request.at > refusedAt);
    assert.ok(retried.length >= 2);
    assert.ok(retried[0].at - refusedAt >= 1900, `retried after ${retried[0].at - refusedAt} ms`);
  } finally {
    await stub.close();
  }
});

test('a server that hangs or resets the connection: each write answers within its timeout, kept', async () => {
  const stub = await startStub();
  try {
    let mode = 'hang';
    stub.behaviour = () => mode;
    const client = createClient({ url: stub.url, spoolDir: tempDir('spool-hang-'), timeoutMs: 300, logger: quietLogger() });

    const started = Date.now();
    const hung = await client.recordSpawn({ spawn_id: 'h1', caste: 'b', model: 'm' });
    const held = Date.now() - started;
    mode = 'reset';
    const reset = await client.recordSpawn({ spawn_id: 'h2', caste: 'b', model: 'm' });
    mode = undefined;
    stub.behaviour = () => undefined;
    const flushed = await client.flush();

    assert.equal(hung.spooled, true);
    assert.ok(held < 300 + 3000, `held ${held} ms`);
    assert.equal(reset.spooled, true);
    assert.equal(flushed.ok, true, JSON.stringify(flushed));
    assert.ok(stub.spawns.has('h1') && stub.spawns.has('h2'));
  } finally {
    await stub.close();
  }
});

test('refusals met while delivering the spool are reported and logged once per reason, never silent', async () => {
  const stub = await startStub();
  try {
    stub.behaviour = () => ({ status: 503, body: { detail: 'down' } });
    const logger = quietLogger();
    const seen = [];
    const client = createClient({ url: stub.url, spoolDir: tempDir('spool-refused-'), timeoutMs: 1000, logger,
      onRefused: (refusal) => seen.push(refusal) });
    for (const id of ['bad-1', 'bad-2']) {
      assert.equal((await client.recordSpawn({ spawn_id: id, caste: 'b', model: 'm' })).spooled, true);
    }
    stub.behaviour = (request) => (request.body && request.body.spawn_id.startsWith('bad')
      ? { status: 400, body: { detail: 'caste must be 1 to 128 of the characters' } } : undefined);

    const later = await client.recordSpawn({ spawn_id: 'good', caste: 'b', model: 'm' });
    await until(() => seen.length === 2, 'both refusals reported');
    const flushed = await client.flush();

    assert.deepEqual(seen.map((refusal) => [refusal.spawn_id, refusal.status]), [['bad-1', 400], ['bad-2', 400]]);
    assert.equal(logger.lines.filter((line) => line.includes('was refused')).length, 1, logger.lines.join('\n'));
    assert.ok(later.ok || later.spooled);
    assert.ok(stub.spawns.has('good'));
    assert.equal(flushed.pending, 0);
  } finally {
    await stub.close();
  }
});

test('a null line, garbage and a torn tail are set aside and reported; the rest is delivered', async () => {
  const stub = await startStub();
  try {
    const spoolDir = tempDir('spool-corrupt-');
    const entry = (id) => JSON.stringify({ seq: `seq-${id}`, op: 'spawn', spawn_id: id, body: { spawn_id: id, caste: 'b', model: 'm' } });
    // left by an owner that is gone (no socket answers for it)
    fs.writeFileSync(path.join(spoolDir, 'spool-1764000000000-0123456789ab-0000beef.jsonl'),
      [entry('c1'), 'null', entry('c2'), 'garbage {', '{"op":"spawn"}', entry('c3'), '{"seq":"x","op":"spa'].join('\n'));
    const logger = quietLogger();
    const client = createClient({ url: stub.url, spoolDir, timeoutMs: 1000, logger });

    const flushed = await client.flush();
    const again = await client.flush();

    assert.deepEqual({ ok: flushed.ok, delivered: flushed.delivered, quarantined: flushed.quarantined },
      { ok: true, delivered: 3, quarantined: 4 });
    assert.deepEqual([...stub.spawns.keys()], ['c1', 'c2', 'c3']);
    assert.equal(again.quarantined, 0);
    const quarantine = fs.readdirSync(spoolDir).filter((name) => name.startsWith('quarantine-'));
    assert.equal(quarantine.length, 1);
    assert.equal(fs.readFileSync(path.join(spoolDir, quarantine[0]), 'utf8').trim().split('\n').length, 4);
    assert.ok(logger.lines.some((line) => line.includes('set aside')));
    assert.deepEqual(spoolFiles(spoolDir), []);
  } finally {
    await stub.close();
  }
});

test('a write keeps its timeout while a flush in the same process delivers a long spool', async () => {
  const stub = await startStub();
  try {
    stub.behaviour = () => ({ status: 503, body: { detail: 'down' } });
    const client = createClient({ url: stub.url, spoolDir: tempDir('spool-busy-'), timeoutMs: 500, logger: quietLogger() });
    for (let i = 0; i < 30; i++) await client.recordSpawn({ spawn_id: `q${i}`, caste: 'b', model: 'm' });
    // each answer now takes 200 ms: the flush takes seconds
    stub.behaviour = () => ({ delayMs: 200 });

    const flushing = client.flush();
    await until(() => stub.spawns.size > 0, 'the flush under way');
    const started = Date.now();
    const write = await client.recordSpawn({ spawn_id: 'during-flush', caste: 'b', model: 'm' });
    const held = Date.now() - started;
    const flushed = await flushing;

    assert.ok(held < 500 + 2000, `the write waited ${held} ms behind the flush`);
    assert.ok(write.ok || write.spooled, JSON.stringify(write));
    await until(() => stub.spawns.has('during-flush'), 'the write delivered after the flush');
    assert.ok(flushed.delivered >= 30);
  } finally {
    await stub.close();
  }
});

test('a spool directory that is a file: a live service still gets the write; a dead one answers not kept', async () => {
  const stub = await startStub();
  try {
    const file = path.join(tempDir('spool-file-'), 'not-a-directory');
    fs.writeFileSync(file, 'x');
    const client = createClient({ url: stub.url, spoolDir: file, timeoutMs: 500, logger: quietLogger() });

    const live = await client.recordSpawn({ spawn_id: 'to-live', caste: 'b', model: 'm' });
    stub.behaviour = () => ({ status: 503, body: { detail: 'down' } });
    const dead = await client.recordSpawn({ spawn_id: 'to-dead', caste: 'b', model: 'm' });

    assert.equal(live.ok, true, JSON.stringify(live));
    assert.equal(dead.ok, false);
    assert.equal(dead.spooled, false);
    assert.match(dead.error, /not kept/);
  } finally {
    await stub.close();
  }
});

test('an outcome whose spawn waits in another process\'s spool waits behind it, never lost to a 404', async () => {
  const stub = await startStub();
  try {
    const spoolDir = tempDir('spool-order-');
    assert.equal((await spoolFromChild(spoolDir, 'ordered', 1)).spooled, 1);
    const client = createClient({ url: stub.url, spoolDir, timeoutMs: 1000, logger: quietLogger() });

    const outcome = await client.recordOutcome('ordered-0', 'completed');
    const flushed = await client.flush();

    assert.equal(outcome.spooled, true, JSON.stringify(outcome));
    assert.equal(flushed.ok, true, JSON.stringify(flushed));
    assert.equal(stub.outcomes.get('ordered-0'), 'completed');
    const accepted = stub.requests.filter((request) => request.url.includes('ordered-0') || (request.body && request.body.spawn_id === 'ordered-0'));
    const spawnAt = accepted.findIndex((request) => request.method === 'POST');
    const outcomeAt = accepted.findLastIndex((request) => request.method === 'PUT');
    assert.ok(spawnAt >= 0 && spawnAt < outcomeAt, 'the outcome was recorded after its spawn');
    assert.deepEqual(spoolFiles(spoolDir), []);
  } finally {
    await stub.close();
  }
});

test('one process per spawn: each write of a later process delivers what earlier ones left, with no flush', async () => {
  const stub = await startStub();
  try {
    const repo = tempDir('repo-per-spawn-');
    const downUrl = `http://127.0.0.1:${await freePort()}`;
    for (const id of ['p1', 'p2', 'p3']) {
      await run(process.execPath, [SPAWNER, 'compat', repo, id], { env: { ...process.env, SPAWN_TELEMETRY_URL: downUrl } });
    }
    await run(process.execPath, [SPAWNER, 'compat', repo, 'p4'], { env: { ...process.env, SPAWN_TELEMETRY_URL: stub.url } });

    const tasks = [...stub.spawns.values()].map((spawn) => spawn.task).sort();
    assert.deepEqual(tasks, ['p1', 'p2', 'p3', 'p4']);
    assert.deepEqual(spoolFiles(path.join(repo, '.aether', 'data', 'telemetry-spool')), []);
  } finally {
    await stub.close();
  }
});

/** Runs a child until it says it paused at a step, then kills it with SIGKILL. */
async function killAtPause(args, pause) {
  const child = spawn(process.execPath, [SPAWNER, ...args], {
    env: { ...process.env, SPAWN_TELEMETRY_CLIENT_PAUSE: pause }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  await until(() => stderr.includes('paused at') || child.exitCode !== null, `the child to pause at ${pause}`);
  assert.ok(stderr.includes('paused at'), `the child did not pause: ${stderr}`);
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
}

test('a crash after a delivery and before its ack re-sends that entry alone', async () => {
  const stub = await startStub();
  try {
    const spoolDir = tempDir('spool-crash-ack-');
    assert.equal((await spoolFromChild(spoolDir, 'acked', 20)).spooled, 20);

    await killAtPause(['flush', stub.url, spoolDir], 'delivered:10');
    const flushed = await createClient({ url: stub.url, spoolDir, timeoutMs: 2000 }).flush();

    assert.equal(flushed.ok, true, JSON.stringify(flushed));
    assert.equal(stub.spawns.size, 20);
    const sent = stub.received('spawn').length;
    assert.equal(sent, 21, 'the ten delivered before the crash are not sent again; the tenth, in flight, is');
    assert.deepEqual(spoolFiles(spoolDir), []);
  } finally {
    await stub.close();
  }
});

test('a crash right after taking over a dead process\'s spool strands nothing', async () => {
  const stub = await startStub();
  try {
    const spoolDir = tempDir('spool-crash-adopt-');
    assert.equal((await spoolFromChild(spoolDir, 'adopted', 5)).spooled, 5);

    await killAtPause(['flush', stub.url, spoolDir], 'adopt-renamed');
    assert.equal(stub.spawns.size, 0);
    const flushed = await createClient({ url: stub.url, spoolDir, timeoutMs: 2000 }).flush();

    assert.equal(flushed.ok, true, JSON.stringify(flushed));
    assert.equal(flushed.delivered, 5);
    assert.equal(stub.received('spawn').length, 5);
    assert.deepEqual(fs.readdirSync(spoolDir), []);
  } finally {
    await stub.close();
  }
});

function canUnsharePid() {
  try {
    execFileSync('unshare', ['--pid', '--fork', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test('PID reuse: spawners that each run as PID 1 in a PID namespace of their own lose nothing',
  { skip: !canUnsharePid() && 'needs unshare --pid (root): skipped' }, async () => {
    const stub = await startStub();
    try {
      const spoolDir = tempDir('spool-pid1-');
      const downUrl = `http://127.0.0.1:${await freePort()}`;
      const inNamespace = (args) => run('unshare', ['--pid', '--fork', process.execPath, SPAWNER, ...args]);
      // a first container spools 3 spawns and stops; its PID was 1
      const first = await inNamespace(['spool', downUrl, spoolDir, 'container', '3']);
      assert.deepEqual(JSON.parse(first.stdout), { ok: 0, spooled: 3, other: 0 });

      // the restarted container is PID 1 again: its write delivers what the first left
      const second = await inNamespace(['one', stub.url, spoolDir, 'restarted']);

      assert.equal(JSON.parse(second.stdout).ok, true);
      assert.deepEqual([...stub.spawns.keys()].sort(), ['container-0', 'container-1', 'container-2', 'restarted']);
      assert.deepEqual(spoolFiles(spoolDir), []);
    } finally {
      await stub.close();
    }
  });

function canMountTmpfs() {
  if (process.getuid && process.getuid() !== 0) return false;
  const probe = tempDir('tmpfs-probe-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test('a full disk: a write is answered spooled only when every byte of it is on disk, and each of those is delivered',
  { skip: !canMountTmpfs() && 'needs root to mount a small tmpfs: skipped' }, async () => {
    const stub = await startStub();
    const mountPoint = tempDir('spool-full-');
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint]);
    try {
      stub.behaviour = () => ({ status: 503, body: { detail: 'down' } });
      const client = createClient({ url: stub.url, spoolDir: path.join(mountPoint, 'spool'), timeoutMs: 500,
        logger: quietLogger() });
      const kept = [];
      const notKept = [];
      for (let i = 0; i < 300; i++) {
        const id = `full-${i}`;
        const answer = await client.recordSpawn({ spawn_id: id, caste: 'b', model: 'm', task: 't'.repeat(300) });
        if (answer.spooled === true) kept.push(id);
        else if (answer.spooled === false && /not kept/.test(answer.error)) notKept.push(id);
        else assert.fail(`neither kept nor said not kept: ${JSON.stringify(answer)}`);
      }
      assert.ok(notKept.length > 0, 'the disk filled up');
      assert.ok(kept.length > 0);

      execFileSync('mount', ['-o', 'remount,size=16m', mountPoint]);
      stub.behaviour = () => undefined;
      const flushed = await client.flush();

      assert.equal(flushed.ok, true, JSON.stringify(flushed));
      assert.equal(flushed.quarantined, 0);
      assert.deepEqual([...stub.spawns.keys()].sort(), [...kept].sort());
    } finally {
      await stub.close();
      execFileSync('umount', ['-l', mountPoint]);
    }
  });

test('compat never loses silently: a task too long is cut with a marker, a refused name is said once', async () => {
  const stub = await startStub();
  const previous = process.env.SPAWN_TELEMETRY_URL;
  const written = [];
  const write = process.stderr.write;
  process.env.SPAWN_TELEMETRY_URL = stub.url;
  process.stderr.write = (chunk) => {
    written.push(String(chunk));
    return true;
  };
  try {
    stub.behaviour = (request) => (request.body && / /.test(request.body.caste)
      ? { status: 400, body: { detail: 'caste must be 1 to 128 of the characters A-Z a-z 0-9 . _ - : @ ~' } } : undefined);
    const compat = require('../compat');
    const repo = tempDir('repo-compat-');

    const long = await compat.recordSpawnTelemetry(repo, { task: '😀'.repeat(3000), caste: 'builder', model: 'm' });
    const refused = [];
    for (let i = 0; i < 3; i++) {
      refused.push(await compat.recordSpawnTelemetry(repo, { task: 't', caste: 'has space', model: 'm' }));
    }

    assert.equal(long.success, true);
    const task = stub.spawns.get(long.decision_id).task;
    assert.ok(task.length <= 4096, `${task.length} code units`);
    assert.match(task, /… \[truncated by spawn-telemetry-client\]$/);
    assert.ok(!/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(task), 'no half of a surrogate pair');
    assert.ok(refused.every((result) => result.success === false && /caste/.test(result.error)));
    assert.equal(written.filter((line) => line.includes('refused a spawn')).length, 1, written.join(''));
  } finally {
    process.stderr.write = write;
    if (previous === undefined) delete process.env.SPAWN_TELEMETRY_URL;
    else process.env.SPAWN_TELEMETRY_URL = previous;
    await stub.close();
  }
});
