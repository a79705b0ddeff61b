#!/usr/bin/env node
'use strict';

const { parseArgs } = require('node:util');
const { createClient } = require('../index');
const view = require('../lib/view');

const USAGE = `Usage: spawn-telemetry [command] [options]

Commands:
  summary              totals, each model's spawns and success rate, recent decisions (default)
  model <name>         one model, with a line per caste
  performance          models ranked by success rate
  recommend <caste>    the model to route a caste to, with each model's Wilson interval
  route <caste>        what the routing policy would choose for a caste now: each candidate's
                       probability, its recent and lifetime evidence, any drift alarm
                       (--candidates a,b,c; default: the caste's configured or seen models)
  evaluate <caste>     what routing gained: the routed spawns' success rate beside what always
                       one model, uniform choice and the configured default would have had on
                       them, estimated from the recorded propensities (--days, --task-class)
  trend <caste>        the caste's resolved success rate per day (--bucket hour: per hour) over
                       the last 30 buckets, and a line per model with its daily rates
  tail [--follow|-f]   the newest decisions, oldest first; --follow keeps printing new ones
                       and the outcomes as they come, through restarts and outages
  flush                deliver the writes waiting in the spool, and say how many wait,
                       here and with spawners still running

Options:
  --url <url>          the service (default: SPAWN_TELEMETRY_URL or http://localhost:8080)
  --token <token>      a bearer token (default: SPAWN_TELEMETRY_TOKEN)
  --spool-dir <dir>    the spool flush delivers (default: SPAWN_TELEMETRY_SPOOL_DIR)
  --json               print the service's answer as JSON, for scripts (tail: NDJSON, a
                       decision a line)
  --interval <secs>    how often tail --follow asks for news (default 2)
  --bucket <size>      trend: day (default) or hour
  --candidates <list>  route: the models to choose among, comma-separated
  --days <n>           evaluate: the last n whole days (default 7)
  --task-class <name>  evaluate: one task class (default: all of the caste's)
  -h, --help           this text

Exit codes: 0 done, 1 the service failed or is unreachable (flush: or writes still wait),
2 bad usage.`;

class UsageError extends Error {}

async function main(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        url: { type: 'string' },
        token: { type: 'string' },
        'spool-dir': { type: 'string' },
        json: { type: 'boolean', default: false },
        follow: { type: 'boolean', short: 'f', default: false },
        interval: { type: 'string', default: '2' },
        bucket: { type: 'string', default: 'day' },
        candidates: { type: 'string' },
        days: { type: 'string' },
        'task-class': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(error.message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const [command = 'summary', ...rest] = positionals;
  const client = createClient({
    url: values.url,
    token: values.token,
    timeoutMs: 10000,
    spoolDir: values['spool-dir'] || process.env.SPAWN_TELEMETRY_SPOOL_DIR,
  });
  const color = process.stdout.isTTY === true && !('NO_COLOR' in process.env);
  const p = view.painter(color);
  const print = (answer, render) => process.stdout.write((values.json ? JSON.stringify(answer, null, 2) : render(answer, p)) + '\n');
  const arity = (count) => {
    if (rest.length !== count) throw new UsageError(`'${command}' takes ${count === 0 ? 'no argument' : 'one argument'}`);
  };

  switch (command) {
    case 'summary': {
      arity(0);
      const [stats, alerts] = await Promise.all([client.summary(), client.alerts()]);
      print({ ...stats, alerts: alerts.alerts }, view.summary);
      return 0;
    }
    case 'route':
      arity(1);
      print(await client.route(rest[0], { candidates: values.candidates ? values.candidates.split(',') : undefined }),
        view.route);
      return 0;
    case 'evaluate': {
      arity(1);
      const days = values.days === undefined ? undefined : Number(values.days);
      if (days !== undefined && !(Number.isInteger(days) && days > 0)) throw new UsageError('--days is a whole number of days, 1 or more');
      print(await client.evaluate(rest[0], { days, taskClass: values['task-class'] }), view.evaluation);
      return 0;
    }
    case 'model':
      arity(1);
      print(await client.model(rest[0]), view.model);
      return 0;
    case 'performance':
      arity(0);
      print(await client.ranking(), view.performance);
      return 0;
    case 'recommend':
      arity(1);
      print(await client.recommend(rest[0]), view.recommend);
      return 0;
    case 'trend': {
      arity(1);
      if (!['day', 'hour'].includes(values.bucket)) throw new UsageError("--bucket is 'day' or 'hour'");
      const caste = rest[0];
      const bucket = /** @type {'day' | 'hour'} */ (values.bucket);
      const overall = await client.trends({ caste, bucket });
      const models = (await client.caste(caste)).models.slice().sort((a, b) => b.spawns - a.spawns).slice(0, 5);
      const byModel = await Promise.all(models.map(async (m) => ({
        model: m.model, trend: await client.trends({ caste, model: m.model, bucket }) })));
      print({ caste, overall, models: byModel }, view.trend);
      return 0;
    }
    case 'tail':
      arity(0);
      return tail(client, values);
    case 'flush': {
      arity(0);
      if (!values['spool-dir'] && !process.env.SPAWN_TELEMETRY_SPOOL_DIR) {
        throw new UsageError('flush needs --spool-dir or SPAWN_TELEMETRY_SPOOL_DIR');
      }
      const result = await client.flush();
      if (values.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
      else {
        process.stdout.write(`Delivered ${result.delivered} write(s); ${result.refused.length} refused; `
          + `${result.pending} still waiting in this spool\n`);
        if (result.waitingElsewhere > 0) {
          process.stdout.write(`${result.waitingElsewhere} write(s) wait in the spool of ${result.liveSpawners} running `
            + 'spawner(s), which deliver them themselves once the service answers\n');
        }
        for (const refused of result.refused) process.stdout.write(`  refused ${refused.op} ${refused.spawn_id}: ${refused.error}\n`);
      }
      if (!result.ok) throw new Error(result.error || 'some writes could not be delivered');
      if (result.waitingElsewhere > 0) return 1;
      return 0;
    }
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

/** The longest pause between polls while the service does not answer. */
const MAX_BACKOFF_SECONDS = 30;

/** The decisions tail prints first. */
const FIRST_PAGE = 20;

/** The decisions each poll of tail --follow reads. */
const FOLLOW_PAGE = 100;

async function tail(client, values) {
  const interval = Number(values.interval);
  if (!(interval > 0)) throw new UsageError('--interval must be a positive number of seconds');
  // each spawn is printed once when first seen, and once more when its outcome is
  const seen = new Map();
  const show = (decisions) => {
    for (const decision of decisions) {
      const known = seen.has(decision.spawn_id);
      const before = seen.get(decision.spawn_id);
      if (known && before === decision.outcome) continue;
      seen.set(decision.spawn_id, decision.outcome);
      if (values.json) process.stdout.write(JSON.stringify(decision) + '\n');
      else if (known && before === null) process.stdout.write(view.outcomeLine(decision) + '\n');
      else process.stdout.write(view.decisionLine(decision) + '\n');
    }
  };
  // following, the first page is as long as every later one, and what it holds beyond
  // the newest 20 is known but not printed: a later page then shows only what is new
  const first = (await client.spawns({ limit: values.follow ? FOLLOW_PAGE : FIRST_PAGE })).spawns.reverse();
  for (const decision of first.slice(0, -FIRST_PAGE)) seen.set(decision.spawn_id, decision.outcome);
  show(first.slice(-FIRST_PAGE));
  if (!values.follow) return 0;
  let etag = null;
  let failures = 0;
  for (;;) {
    try {
      const changed = await client.readIfChanged('/stats', etag);
      // the news of the recovery first, then what happened meanwhile
      if (failures > 0) process.stderr.write('spawn-telemetry: the service answers again\n');
      failures = 0;
      if (changed) {
        show((await client.spawns({ limit: FOLLOW_PAGE })).spawns.reverse());
        etag = changed.etag;
      }
    } catch (error) {
      // a restart or an outage: say so once, keep asking, and go on where it left off
      if (failures === 0) {
        process.stderr.write(`spawn-telemetry: ${error.message}; trying again, less and less often\n`);
      }
      failures++;
    }
    const wait = Math.min(MAX_BACKOFF_SECONDS, interval * 2 ** Math.min(failures, 10));
    await new Promise((resolve) => setTimeout(resolve, (failures > 0 ? wait : interval) * 1000));
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error) => {
    if (error instanceof UsageError) {
      process.stderr.write(`spawn-telemetry: ${error.message}\n\n${USAGE}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`spawn-telemetry: ${error.message}\n`);
      process.exitCode = 1;
    }
  },
);
