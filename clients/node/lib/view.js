'use strict';

/** Renders the service's answers for a terminal, as the ancestor's `aether telemetry` did. */

function painter(enabled) {
  const paint = (code) => (text) => (enabled ? `\u001b[${code}m${text}\u001b[0m` : String(text));
  const green = paint(32);
  const yellow = paint(33);
  const red = paint(31);
  return {
    bold: paint(1),
    dim: paint(2),
    /** ≥ 90% green, ≥ 70% yellow, else red. */
    rate(rate, text = percent(rate)) {
      if (rate === null || rate === undefined) return text;
      return rate >= 0.9 ? green(text) : rate >= 0.7 ? yellow(text) : red(text);
    },
  };
}

function percent(rate) {
  return rate === null || rate === undefined ? '–' : `${(rate * 100).toFixed(1)}%`;
}

/**
 * A share of counts, to one decimal, computed from the counts themselves (the service
 * rounds its rates to two decimals, too coarse for a percentage: 16 of 22 is 72.7%).
 */
function share(part, whole) {
  if (!whole) return null;
  return Math.round((part * 1000) / whole) / 1000;
}

function table(rows, align) {
  // eslint-disable-next-line no-control-regex -- the terminal's colour codes start with ESC
  const plain = (cell) => String(cell).replace(/\u001b\[[0-9;]*m/g, '');
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => plain(row[column]).length)));
  return rows
    .map((row) => row
      .map((cell, column) => {
        const pad = ' '.repeat(widths[column] - plain(cell).length);
        return align[column] === 'right' ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd())
    .join('\n');
}

function moment(instant) {
  return instant.replace('T', ' ').replace(/\.\d+Z$|Z$/, '');
}

/**
 * Column widths of a decision's line: fixed, since tail --follow prints a line at a time. A
 * longer value is shortened in its middle (openrouter/…/claude-sonnet-4.5), so that the
 * columns stay aligned and both the provider and the model still read.
 */
const COLUMNS = { caste: 12, model: 38, source: 14, outcome: 9 };

function column(value, width) {
  const text = String(value);
  if (text.length <= width) return text.padEnd(width + 2);
  const provider = text.indexOf('/') + 1;
  const head = provider > 0 && provider <= width / 2 ? provider : Math.floor((width - 1) / 3);
  return `${text.slice(0, head)}…${text.slice(text.length - (width - 1 - head))}  `;
}

function decisionLine(decision) {
  const outcome = decision.outcome || 'open';
  return `${moment(decision.timestamp)}  ${column(decision.caste, COLUMNS.caste)}`
    + `${column(decision.selected_model, COLUMNS.model)}${column(decision.source, COLUMNS.source)}`
    + `${column(outcome, COLUMNS.outcome)}${decision.task}`;
}

/** The line of an outcome that came in after its spawn was shown open, aligned with the spawn's. */
function outcomeLine(decision) {
  const seconds = Math.max(0, Math.round((Date.parse(decision.completed_at) - Date.parse(decision.timestamp)) / 1000));
  return `${moment(decision.completed_at)}  ${column(decision.caste, COLUMNS.caste)}`
    + `${column(decision.selected_model, COLUMNS.model)}${column('', COLUMNS.source)}`
    + `${column(decision.outcome, COLUMNS.outcome)}after ${duration(seconds)}: ${decision.spawn_id}`;
}

function summary(stats, p) {
  const lines = [p.bold('Telemetry summary'), `Total spawns: ${stats.total_spawns} across ${stats.total_models} model(s)`, ''];
  const models = Object.entries(stats.models);
  if (models.length > 0) {
    const rows = [['Model', 'Spawns', 'Success']];
    for (const [name, model] of models) {
      rows.push([name, String(model.total_spawns), p.rate(share(model.successful_completions, model.total_spawns))]);
    }
    lines.push(table(rows, ['left', 'right', 'right']), '');
  }
  if (stats.alerts && stats.alerts.length > 0) {
    lines.push(p.bold('Drift alarms (last 7 days)'));
    for (const alert of stats.alerts) lines.push(`  ${alertLine(alert)}`);
    lines.push('');
  }
  lines.push(p.bold('Recent decisions'));
  if (stats.recent_decisions.length === 0) lines.push('  (none yet)');
  for (const decision of stats.recent_decisions) lines.push(`  ${decisionLine(decision)}`);
  return lines.join('\n');
}

function model(detail, p) {
  const lines = [
    p.bold(`Model: ${detail.model}`),
    `Spawns: ${detail.total_spawns}  completed ${detail.successful_completions}  failed ${detail.failed_completions}`
      + `  blocked ${detail.blocked}  success ${p.rate(share(detail.successful_completions, detail.total_spawns))}`,
    `Tokens: ${detail.tokens}`,
  ];
  const others = Object.entries((detail.served && detail.served.other_models) || {});
  if (others.length > 0) {
    lines.push(`Served by other models (OpenTelemetry's gen_ai.response.model): `
      + `${others.map(([name, count]) => `${name} ${count}`).join(', ')} of ${detail.served.ended} ended in the log `
      + `(${percent(detail.served.mismatch_share)})`);
  }
  lines.push('', p.bold('By caste'));
  const rows = [['Caste', 'Spawns', 'Success', 'Failures', 'Blocked', 'Rate']];
  for (const [name, caste] of Object.entries(detail.by_caste)) {
    rows.push([name, String(caste.spawns), String(caste.success), String(caste.failures), String(caste.blocked),
      p.rate(share(caste.success, caste.spawns))]);
  }
  lines.push(table(rows, ['left', 'right', 'right', 'right', 'right', 'right']));
  return lines.join('\n');
}

function performance(ranking, p) {
  const rows = [['Rank', 'Model', 'Success', 'Spawns', 'Completed', 'Failed', 'Blocked']];
  for (const m of ranking.models) {
    rows.push([String(m.rank), m.model, p.rate(share(m.successful_completions, m.total_spawns)), String(m.total_spawns),
      String(m.successful_completions), String(m.failed_completions), String(m.blocked)]);
  }
  return [p.bold('Model performance ranking'), table(rows, ['right', 'left', 'right', 'right', 'right', 'right', 'right'])]
    .join('\n');
}

function recommend(answer, p) {
  const lines = [p.bold(`Recommendation for ${answer.caste}: ${answer.recommended || 'none'}`), answer.reason, ''];
  const rows = [['Rank', 'Model', 'Resolved', 'Rate', '95% Wilson', 'Spawns', '']];
  for (const m of answer.models) {
    const wilson = m.wilson ? `${m.wilson.low.toFixed(3)}–${m.wilson.high.toFixed(3)}` : '–';
    const resolved = m.completed + m.failed + m.blocked;
    rows.push([String(m.rank), m.model, String(resolved), p.rate(share(m.completed, resolved)), wilson, String(m.spawns),
      m.insufficient_data ? p.dim('insufficient data') : '']);
  }
  lines.push(table(rows, ['right', 'left', 'right', 'right', 'left', 'right', 'left']));
  return lines.join('\n');
}

function alertLine(alert) {
  const direction = alert.change < 0 ? 'fell' : 'rose';
  return `${moment(alert.at)}  ${alert.caste} on ${alert.model} ${direction} from ${percent(alert.before)} `
    + `to ${percent(alert.after)} (${alert.outcomes_since_change} outcomes since the change)`;
}

/** What the routing policy would do for a caste: each candidate's probability and evidence. */
function route(answer, p) {
  const lines = [p.bold(`Route for ${answer.caste}: ${answer.policy}, objective ${answer.objective}`),
    `Exploration floor ${percent(answer.exploration_floor)}; one choice now: ${answer.model}`, ''];
  const rows = [['Model', 'Chosen', 'Best', 'Recent', 'Posterior 95%', 'Lifetime', 'Alarm']];
  for (const c of answer.candidates) {
    const recent = `${c.recent.resolved.toFixed(1)} (${percent(c.recent.posterior_mean)})`;
    const lifetime = `${c.lifetime.resolved} (${percent(c.lifetime.success_rate)})`;
    rows.push([c.model, percent(c.probability), percent(c.probability_best), recent,
      `${c.recent.low.toFixed(3)}–${c.recent.high.toFixed(3)}`, lifetime,
      c.alarm ? `${percent(c.alarm.before)} → ${percent(c.alarm.after)} at ${moment(c.alarm.at)}` : '']);
  }
  lines.push(table(rows, ['left', 'right', 'right', 'right', 'left', 'right', 'left']));
  return lines.join('\n');
}

/** What routing gained: the logged policy beside each alternative, in plain words and a table. */
function evaluation(answer, p) {
  const scope = answer.task_class ? `${answer.caste}, task class ${answer.task_class}` : answer.caste;
  const lines = [p.bold(`What routing gained for ${scope}, ${answer.from.slice(0, 10)} to ${answer.to.slice(0, 10)}`),
    `${answer.routed} routed spawns ended (estimates from the propensities recorded with them); `
      + `${answer.chosen_by_client.resolved} whose model the client chose are not counted`, ''];
  for (const policy of answer.policies) {
    if (policy.policy === 'logged' || policy.policy === 'default' || policy.model === answer.best_fixed) {
      lines.push(`  ${policy.summary}`);
    }
  }
  lines.push('');
  const rows = [['Policy', 'SNIPS', '95%', 'IPS', 'Effective n', 'Tokens/resolved']];
  for (const policy of answer.policies) {
    const name = policy.model ? `${policy.policy} ${policy.model}` : policy.policy;
    rows.push([name, policy.snips ? percent(policy.snips.estimate) : p.dim('not enough exploration'),
      policy.snips ? `${percent(policy.snips.low)}–${percent(policy.snips.high)}` : '',
      policy.ips ? percent(policy.ips.estimate) : '', policy.effective_sample_size.toFixed(1),
      policy.tokens_per_resolved === null ? '' : String(Math.round(policy.tokens_per_resolved))]);
  }
  lines.push(table(rows, ['left', 'right', 'left', 'right', 'right', 'right']));
  return lines.join('\n');
}

/** The greatest duration the service's histograms tell apart (2^17 s): beyond, only "more". */
const DURATION_CAP_SECONDS = 131072;

/**
 * A duration in the unit a person reads: seconds, minutes or hours, with a decimal below
 * ten; one at the histogram's cap or beyond as "> 36 h".
 * @param {number} seconds
 */
function duration(seconds) {
  if (seconds >= DURATION_CAP_SECONDS) return `> ${Math.floor(DURATION_CAP_SECONDS / 3600)} h`;
  const [value, unit] = seconds < 60 ? [seconds, 's'] : seconds < 3600 ? [seconds / 60, 'min'] : [seconds / 3600, 'h'];
  const shown = value < 10 ? Math.round(value * 10) / 10 : Math.round(value);
  return `${shown} ${unit}`;
}

const SPARKS = '▁▂▃▄▅▆▇█';

/** A rate as one of eight bars; a bucket with nothing resolved as a dot. */
function spark(rate) {
  return rate === null || rate === undefined ? '·' : SPARKS[Math.min(7, Math.floor(rate * 8))];
}

function trend(answer, p) {
  const { caste, overall } = answer;
  const day = overall.bucket === 'day';
  const label = (instant) => (day ? instant.slice(0, 10) : moment(instant).slice(0, 16));
  const lines = [p.bold(`Trend for ${caste}, per ${overall.bucket}, ${label(overall.from)} to ${label(overall.to)}`),
    'Resolved success rate: completed of completed + failed + blocked, with its 95% Wilson interval', ''];
  const rows = [[day ? 'Day' : 'Hour', 'Spawns', 'Resolved', 'Rate', '95% Wilson', 'Open', 'p50 ≤']];
  const point = (name, m) => {
    const resolved = m.completed + m.failed + m.blocked;
    const wilson = m.wilson ? `${m.wilson.low.toFixed(3)}–${m.wilson.high.toFixed(3)}` : '–';
    return [name, String(m.spawns), String(resolved), p.rate(share(m.completed, resolved)), wilson, String(m.open),
      m.p50_seconds === null || m.p50_seconds === undefined ? '–' : duration(m.p50_seconds)];
  };
  for (const m of overall.points) rows.push(point(label(m.start), m));
  rows.push(point('Total', overall.total));
  lines.push(table(rows, ['left', 'right', 'right', 'right', 'left', 'right', 'right']));
  if (answer.models.length > 0) {
    lines.push('', p.bold(`By model, oldest ${overall.bucket} first (${SPARKS[0]} 0% … ${SPARKS[7]} 100%, · nothing resolved)`));
    const modelRows = answer.models.map(({ model, trend: t }) => {
      const resolved = t.total.completed + t.total.failed + t.total.blocked;
      return [model, t.points.map((m) => spark(m.resolved_success_rate)).join(''),
        p.rate(share(t.total.completed, resolved)), `of ${resolved}`];
    });
    lines.push(table(modelRows, ['left', 'left', 'right', 'left']));
  }
  return lines.join('\n');
}

module.exports = { painter, summary, model, performance, recommend, route, evaluation, alertLine, trend, decisionLine, outcomeLine, percent, share, duration };
