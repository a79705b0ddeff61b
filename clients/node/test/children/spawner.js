'use strict';

// A spawner process for the tests.
//   spawner.js spool <url> <spoolDir> <prefix> <count>  records count spawns; prints the answers' counts
//   spawner.js flush <url> <spoolDir>                   flushes; prints the answer
//   spawner.js one <url> <spoolDir> <spawnId>           records one spawn and exits once the spool is delivered
//   spawner.js compat <repoPath> <spawnId...>           records spawns through compat (SPAWN_TELEMETRY_URL)

const { createClient } = require('../..');

async function main() {
  const [mode, ...args] = process.argv.slice(2);
  if (mode === 'spool') {
    const [url, spoolDir, prefix, count] = args;
    const client = createClient({ url, spoolDir, timeoutMs: 300 });
    const counts = { ok: 0, spooled: 0, other: 0 };
    for (let i = 0; i < Number(count); i++) {
      const result = await client.recordSpawn({ spawn_id: `${prefix}-${i}`, caste: 'builder', model: 'child-model',
        task: 'x'.repeat(200) });
      counts[result.ok ? 'ok' : result.spooled ? 'spooled' : 'other']++;
    }
    process.stdout.write(`${JSON.stringify(counts)}\n`);
  } else if (mode === 'flush') {
    const [url, spoolDir] = args;
    const result = await createClient({ url, spoolDir, timeoutMs: 2000 }).flush();
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } else if (mode === 'one') {
    const [url, spoolDir, spawnId] = args;
    const result = await createClient({ url, spoolDir, timeoutMs: 2000 })
      .recordSpawn({ spawn_id: spawnId, caste: 'builder', model: 'child-model' });
    process.stdout.write(`${JSON.stringify(result)}\n`);
    // the process then ends by itself, once what it took over is delivered
  } else if (mode === 'compat') {
    const [repoPath, ...spawnIds] = args;
    const compat = require('../../compat');
    for (const spawnId of spawnIds) {
      const result = await compat.recordSpawnTelemetry(repoPath, { caste: 'builder', model: 'compat-model', task: spawnId });
      process.stdout.write(`${JSON.stringify(result)}\n`);
    }
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exitCode = 1;
});
