'use strict';

// A spawner process for the tests: records spawns, each with an outcome and usage, through
// a client with a spool, then exits. Usage: node spooler.js <url> <spoolDir> <prefix> <count>

const { createClient } = require('..');

async function main() {
  const [url, spoolDir, prefix, count] = process.argv.slice(2);
  const client = createClient({ url, spoolDir, timeoutMs: 300 });
  let spooled = 0;
  for (let i = 0; i < Number(count); i++) {
    const spawnId = `${prefix}-${i}`;
    const results = [
      await client.recordSpawn({ spawn_id: spawnId, caste: 'builder', model: 'spooled-model' }),
      await client.addUsage(spawnId, { tokens: 10 }),
      await client.recordOutcome(spawnId, 'completed'),
    ];
    for (const result of results) {
      if (result.ok) throw new Error(`delivered while the service is down: ${JSON.stringify(result)}`);
      if (result.spooled) spooled++;
    }
  }
  process.stdout.write(`${spooled}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exitCode = 1;
});
