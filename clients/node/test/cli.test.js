'use strict';

const assert = require('node:assert/strict');
const { execFile } = require('node:child_process');
const path = require('node:path');
const { after, before, describe, test } = require('node:test');

const { createClient } = require('..');
const { startService, freePort, tempDir } = require('./service');


const BIN = path.join(__dirname, '..', 'bin', 'spawn-telemetry.js');

/** Runs the terminal view with its output piped, as a script would. */
function cli(args, env = {}) {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, stdout, stderr });
    });
  });
}

/** Yesterday at 10:00 UTC: within every window and trend of the service's own clock. */
const YESTERDAY = new Date(Math.floor(Date.now() / 86400000) * 86400000 - 86400000 + 10 * 3600000);

describe('the terminal view', () => {
  let service;

  before(async () => {
    service = await startService();
    const client = createClient({ url: service.url });
    const record = async (model, caste, outcomes) => {
      for (const [index, outcome] of outcomes.entries()) {
        const spawned = await client.recordSpawn({
          spawn_id: `${model}-${caste}-${index}`.replace(/\//g, '_'), task: `task ${index}`, caste, model,
          source: 'task-based', timestamp: new Date(YESTERDAY.getTime() + index * 60000).toISOString(),
        });
        if (outcome) await client.recordOutcome(spawned.spawn_id, outcome, { tokens: 100 });
      }
    };
    await record('kimi-k2.5', 'builder', ['completed', 'completed', 'completed', 'completed', 'completed',
      'completed', 'completed', 'completed', 'completed', 'failed']);
    await record('glm-5', 'builder', ['completed', 'failed', 'blocked', 'completed', null]);
  });

  after(async () => {
    await service.stop();
  });

  test('summary shows the totals, each model with its success rate, and the recent decisions', async () => {
    const { code, stdout } = await cli(['--url', service.url]);

    assert.equal(code, 0);
    assert.match(stdout, /Total spawns: 15 across 2 model\(s\)/);
    assert.match(stdout, /kimi-k2\.5\s+10\s+90\.0%/);
    assert.match(stdout, /glm-5\s+5\s+40\.0%/);
    assert.match(stdout, /Recent decisions/);
    assert.match(stdout, /builder {7}glm-5 {35}task-based {6}open {7}task 4/);
    // eslint-disable-next-line no-control-regex -- the terminal's colour codes start with ESC
    assert.doesNotMatch(stdout, /\u001b\[/, 'no colour when piped');
  });

  test('model shows one line per caste', async () => {
    const { code, stdout } = await cli(['model', 'glm-5', '--url', service.url]);

    assert.equal(code, 0);
    assert.match(stdout, /Model: glm-5/);
    assert.match(stdout, /Spawns: 5 {2}completed 2 {2}failed 1 {2}blocked 1 {2}success 40\.0%/);
    assert.match(stdout, /builder\s+5\s+2\s+1\s+1\s+40\.0%/);
  });

  test('performance ranks the models', async () => {
    const { code, stdout } = await cli(['performance', '--url', service.url]);

    assert.equal(code, 0);
    const lines = stdout.trim().split('\n');
    assert.match(lines[2], /^\s*1\s+kimi-k2\.5\s+90\.0%\s+10\s+9\s+1\s+0$/);
    assert.match(lines[3], /^\s*2\s+glm-5\s+40\.0%\s+5\s+2\s+1\s+1$/);
  });

  test('recommend names the model and each Wilson interval', async () => {
    const { code, stdout } = await cli(['recommend', 'builder', '--url', service.url]);

    assert.equal(code, 0);
    assert.match(stdout, /Recommendation for builder: kimi-k2\.5/);
    assert.match(stdout, /kimi-k2\.5\s+10\s+90\.0%\s+0\.\d{3}–0\.\d{3}/);
    assert.match(stdout, /glm-5\s+4\s+50\.0%.*insufficient data/);
  });

  test('trend prints the caste per day and a line of daily rates per model', async () => {
    const { code, stdout } = await cli(['trend', 'builder', '--url', service.url]);

    assert.equal(code, 0, stdout);
    assert.match(stdout, /Trend for builder, per day/);
    const day = YESTERDAY.toISOString().slice(0, 10);
    assert.match(stdout, new RegExp(`${day}\\s+15\\s+14\\s+78\\.6%\\s+0\\.\\d{3}–0\\.\\d{3}\\s+1`));
    assert.match(stdout, /Total\s+15\s+14\s+78\.6%/);
    assert.match(stdout, /kimi-k2\.5\s+·{28}█·\s+90\.0%\s+of 10/);
    assert.match(stdout, /glm-5\s+·{28}▅·\s+50\.0%\s+of 4/);
    // the spawns are of yesterday and ended now: a p50 of hours, read as hours
    assert.match(stdout, /Total\s+15\s+14\s+78\.6%.*\s(\d+(\.\d)? h|> 36 h)$/m);
    assert.doesNotMatch(stdout, /\d{3,} s\b/);

    const hourly = await cli(['trend', 'builder', '--bucket', 'hour', '--url', service.url]);
    assert.equal(hourly.code, 0);
    assert.match(hourly.stdout, /per hour/);
    assert.equal((await cli(['trend', 'builder', '--bucket', 'week', '--url', service.url])).code, 2);
  });

  test('tail prints the newest decisions, oldest first', async () => {
    const { code, stdout } = await cli(['tail', '--url', service.url]);

    assert.equal(code, 0);
    const lines = stdout.trim().split('\n');
    assert.equal(lines.length, 15);
    assert.match(lines[lines.length - 1], /glm-5 {35}task-based {6}open {7}task 4$/);
    const columns = (line) => [...line.matchAll(/ {2}(?=\S)/g)].map((m) => m.index);
    assert.deepEqual(columns(lines[1]).slice(0, 5), columns(lines[lines.length - 1]).slice(0, 5),
      'every decision\'s columns start at the same place');
  });

  test('--json prints the service\'s answer', async () => {
    const { code, stdout } = await cli(['summary', '--json', '--url', service.url]);

    assert.equal(code, 0);
    assert.equal(JSON.parse(stdout).total_spawns, 15);
  });

  test('route prints each candidate\'s probability and evidence, and one choice', async () => {
    const seen = await cli(['route', 'builder', '--url', service.url]);
    const named = await cli(['route', 'builder', '--candidates', 'kimi-k2.5,never-tried', '--url', service.url]);

    assert.equal(seen.code, 0);
    assert.match(seen.stdout, /^Route for builder: thompson-discounted, objective success$/m);
    assert.match(seen.stdout, /^kimi-k2\.5 +\d+\.\d% +\d+\.\d% +\d+\.\d \(\d+\.\d%\) +0\.\d{3}–0\.\d{3} +10 \(90\.0%\)/m);
    assert.match(seen.stdout, /^glm-5 /m);
    assert.equal(named.code, 0);
    assert.match(named.stdout, /^never-tried +\d+\.\d% /m);
    assert.match(named.stdout, /one choice now: (kimi-k2\.5|never-tried)$/m);
  });

  test('evaluate prints what routing gained, in plain words and per policy', async () => {
    const client = createClient({ url: service.url });
    for (let i = 0; i < 60; i++) {
      const routed = await client.recordSpawn({ task: 't', caste: 'evaluated', candidates: ['ev-good', 'ev-bad'] });
      await client.recordOutcome(routed.spawn_id, routed.model === 'ev-good' || i % 2 === 0 ? 'completed' : 'failed');
    }

    const { code, stdout } = await cli(['evaluate', 'evaluated', '--days', '2', '--url', service.url]);
    const bad = await cli(['evaluate', 'evaluated', '--days', 'soon', '--url', service.url]);

    assert.equal(code, 0);
    assert.match(stdout, /^What routing gained for evaluated, /m);
    assert.match(stdout, /^60 routed spawns ended/m);
    assert.match(stdout, /^ {2}routing: \d+% ± \d+$/m);
    assert.match(stdout, /^logged +\d+\.\d% +\d+\.\d%–\d+\.\d%/m);
    // which candidates the router chose is drawn: a row for each one it chose
    assert.match(stdout, /^always ev-(good|bad) +(not enough exploration|\d+\.\d%)/m);
    assert.equal(bad.code, 2);
  });

  test('exit code 1 with a one-line reason when the service cannot be reached or refuses', async () => {
    const down = await cli(['--url', `http://127.0.0.1:${await freePort()}`]);
    const missing = await cli(['model', 'never-seen', '--url', service.url]);

    assert.equal(down.code, 1);
    assert.match(down.stderr, /^spawn-telemetry: cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED\n$/);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^spawn-telemetry: No spawn was ever recorded for model 'never-seen'\n$/);
  });

  test('exit code 2 with the usage text for bad usage', async () => {
    for (const args of [['frobnicate'], ['model'], ['summary', 'extra'], ['--no-such-option'], ['flush']]) {
      const { code, stderr } = await cli([...args, '--url', service.url], { SPAWN_TELEMETRY_SPOOL_DIR: '' });
      assert.equal(code, 2, args.join(' '));
      assert.match(stderr, /Usage: spawn-telemetry/);
    }
  });

  test('flush delivers the spool a spawner left and says how many', async () => {
    const spoolDir = tempDir('spool-cli-');
    // a spawner that spooled a spawn, its usage and its outcome while the service was away, and exited
    const downUrl = `http://127.0.0.1:${await freePort()}`;
    await new Promise((resolve, reject) => execFile(process.execPath,
      [path.join(__dirname, 'spooler.js'), downUrl, spoolDir, 'cli-flush', '1'],
      (error) => (error ? reject(error) : resolve())));

    const { code, stdout } = await cli(['flush', '--url', service.url, '--spool-dir', spoolDir]);

    assert.equal(code, 0, stdout);
    assert.match(stdout, /^Delivered 3 write\(s\); 0 refused; 0 still waiting in this spool$/m);
    assert.equal((await createClient({ url: service.url }).model('spooled-model')).total_spawns, 1);
  });

  // last: it adds a model the other tests do not expect
  test('model names the other models that served it, as OpenTelemetry spans reported them', async () => {
    const start = BigInt(YESTERDAY.getTime()) * 1000000n;
    const span = (spanId, served) => ({
      traceId: '0af7651916cd43dd8448eb211c80319c', spanId, name: 'invoke_agent', startTimeUnixNano: String(start),
      endTimeUnixNano: String(start + 5000000000n), attributes: [
        { key: 'gen_ai.operation.name', value: { stringValue: 'invoke_agent' } },
        { key: 'gen_ai.agent.name', value: { stringValue: 'scout' } },
        { key: 'gen_ai.request.model', value: { stringValue: 'otel-alias' } },
        { key: 'gen_ai.response.model', value: { stringValue: served } }],
    });
    const exported = await fetch(`${service.url}/v1/traces`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span('b7ad6b7169203331', 'otel-alias-2026'),
        span('b7ad6b7169203332', 'otel-alias')] }] }] }),
    });
    assert.equal(exported.status, 200);

    const { code, stdout } = await cli(['model', 'otel-alias', '--url', service.url]);

    assert.equal(code, 0);
    assert.match(stdout, /Served by other models \(OpenTelemetry's gen_ai\.response\.model\): otel-alias-2026 1 of 2 ended in the log \(50\.0%\)/);
  });

});

test('flush says what waits in the spool of a spawner still running while the service is down', async () => {
  const { spawn } = require('node:child_process');
  const spoolDir = tempDir('spool-live-');
  const downUrl = `http://127.0.0.1:${await freePort()}`;
  const spawner = spawn(process.execPath, ['-e', `
    const { createClient } = require(${JSON.stringify(path.join(__dirname, '..'))});
    const client = createClient({ url: ${JSON.stringify(downUrl)}, spoolDir: ${JSON.stringify(spoolDir)}, timeoutMs: 300 });
    (async () => {
      await client.recordSpawn({ spawn_id: 'alive-1', caste: 'builder', model: 'm' });
      await client.recordOutcome('alive-1', 'completed');
      process.stdout.write('spooled\\n');
      setInterval(() => {}, 1000);
    })();`], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise((resolve, reject) => {
      spawner.stdout.on('data', (data) => String(data).includes('spooled') && resolve());
      spawner.on('exit', (code) => reject(new Error(`the spawner exited with ${code}`)));
    });

    const { code, stdout } = await cli(['flush', '--url', downUrl, '--spool-dir', spoolDir]);

    assert.equal(code, 1, stdout);
    assert.match(stdout, /^Delivered 0 write\(s\); 0 refused; 0 still waiting in this spool$/m);
    assert.match(stdout, /^2 write\(s\) wait in the spool of 1 running spawner\(s\), which deliver them themselves/m);
  } finally {
    spawner.kill('SIGKILL');
  }
});

test('decision lines keep their columns for model names of any length', () => {
  const { decisionLine, outcomeLine } = require('../lib/view');
  const models = ['glm-5', 'openrouter/anthropic/claude-sonnet-4.5', 'openrouter/meta-llama/llama-3.1-405b-instruct:free'];
  const lines = models.flatMap((model) => {
    const decision = { timestamp: '2026-12-01T10:00:00.000Z', completed_at: '2026-12-01T10:02:00.000Z', caste: 'builder',
      selected_model: model, source: 'task-based', outcome: 'completed', task: 'the task', spawn_id: 's-1' };
    return [decisionLine(decision), outcomeLine(decision)];
  });

  assert.equal(new Set(lines.map((line) => line.indexOf('completed'))).size, 1, lines.join('\n'));
  assert.equal(new Set(lines.filter((_, i) => i % 2 === 0).map((line) => line.indexOf('task-based'))).size, 1);
  assert.match(lines[2], /openrouter\/anthropic\/claude-sonnet-4\.5\s/);
  assert.match(lines[4], /openrouter\/…[\w./:-]*-instruct:free\s/);
});

test('durations read in seconds, minutes or hours, and as "> 36 h" at the histogram\'s cap', () => {
  const { duration } = require('../lib/view');
  assert.equal(duration(0.11), '0.1 s');
  assert.equal(duration(42), '42 s');
  assert.equal(duration(150), '2.5 min');
  assert.equal(duration(1800), '30 min');
  assert.equal(duration(67044.106), '19 h');
  assert.equal(duration(7200), '2 h');
  assert.equal(duration(131072), '> 36 h');
  assert.equal(duration(200000), '> 36 h');
});

test('tail --follow prints the newest 20, then only what is new, though more came before', async () => {
  const service = await startService();
  const client = createClient({ url: service.url, timeoutMs: 60000 });
  for (let i = 0; i < 60; i++) {
    await client.recordSpawn({ spawn_id: `older-${i}`, caste: 'scout', model: 'tail-model', task: `older ${i}` });
  }
  const { spawn } = require('node:child_process');
  const follower = spawn(process.execPath, [BIN, 'tail', '--follow', '--interval', '0.2', '--url', service.url],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  follower.stdout.on('data', (chunk) => { stdout += chunk; });
  const until = async (condition, what) => {
    const deadline = Date.now() + 120000;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${stdout}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  try {
    await until(() => stdout.includes('older 59'), 'the first page');
    await client.recordSpawn({ spawn_id: 'newest', caste: 'scout', model: 'tail-model', task: 'the newest' });
    await until(() => stdout.includes('the newest'), 'the new spawn');

    const lines = stdout.trim().split('\n');
    assert.equal(lines.length, 21, stdout);
    assert.match(lines[0], /older 40$/);
    assert.match(lines[19], /older 59$/);
    assert.match(lines[20], /the newest$/);
  } finally {
    follower.kill();
    await service.stop();
  }
});

test('tail --follow prints outcomes as outcome lines and keeps going through a restart, without repeating', async () => {
  const dataDir = tempDir('spawn-telemetry-tail-');
  let service = await startService({ dataDir });
  const { port } = service;
  const client = createClient({ url: service.url, timeoutMs: 60000 });
  const { spawn } = require('node:child_process');
  const follower = spawn(process.execPath, [BIN, 'tail', '--follow', '--interval', '0.2', '--url', service.url],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  follower.stdout.on('data', (chunk) => { stdout += chunk; });
  follower.stderr.on('data', (chunk) => { stderr += chunk; });
  const until = async (condition, what) => {
    const deadline = Date.now() + 120000;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${stdout}\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  try {
    await client.recordSpawn({ spawn_id: 'followed-1', caste: 'scout', model: 'tail-model', task: 'first' });
    await until(() => stdout.includes('first'), 'the spawn');
    await client.recordOutcome('followed-1', 'completed');
    await until(() => /scout {9}tail-model {30}\s+completed {2}after \d+ s: followed-1/.test(stdout), 'the outcome line');

    await service.stop();
    await until(() => stderr.includes('trying again'), 'the notice of the outage');
    service = await startService({ dataDir, port });
    await createClient({ url: service.url, timeoutMs: 60000 })
      .recordSpawn({ spawn_id: 'followed-2', caste: 'scout', model: 'tail-model', task: 'after the restart' });
    await until(() => stdout.includes('after the restart'), 'a spawn after the restart');

    assert.equal(follower.exitCode, null, 'still following');
    assert.equal(stdout.split('\n').filter((line) => line.endsWith('  first')).length, 1, stdout);
    assert.equal(stdout.split('\n').filter((line) => /completed {2}after/.test(line)).length, 1, stdout);
    // stderr is a pipe of its own: its line may come after stdout's
    await until(() => /the service answers again/.test(stderr), 'the notice of the recovery');
  } finally {
    follower.kill();
    await service.stop();
  }
});
