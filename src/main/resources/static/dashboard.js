"use strict";

// Polls the service and redraws only when /stats answers with a new ETag.
const POLL_MS = 5000;
const etags = {};
const last = {};

async function fetchJson(path) {
  const headers = etags[path] ? { "If-None-Match": etags[path] } : {};
  const response = await fetch(path, { headers, cache: "no-store" });
  if (response.status === 304) {
    return { changed: false, body: last[path] };
  }
  if (!response.ok) {
    throw new Error(path + " answered " + response.status);
  }
  etags[path] = response.headers.get("ETag");
  last[path] = await response.json();
  return { changed: true, body: last[path] };
}

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (name === "text") node.textContent = value;
    // through the CSSOM: the page's Content-Security-Policy refuses style attributes
    else if (name === "style") Object.assign(node.style, value);
    else node.setAttribute(name, value);
  }
  children.forEach((child) => node.append(child));
  return node;
}

const percent = (rate) => Math.round(rate * 100) + "%";
// the one rate of this page: completed of resolved (completed + failed + blocked)
const resolvedRate = (completed, failed, blocked) =>
  (completed + failed + blocked) > 0 ? completed / (completed + failed + blocked) : null;
const SOURCES_SHOWN = 5;
const ROUTING_DAYS = 30;
// the recommendation's own rule (GET /recommendations): a model needs this many resolved spawns
const MIN_RESOLVED = 10;
const number = (n) => n.toLocaleString("en");
// a model name may break after '/' and '-', never inside a word
const breakable = (name) => {
  const parts = name.split(/(?<=[/-])/);
  const span = el("span", {});
  parts.forEach((part, i) => span.append(part, ...(i < parts.length - 1 ? [el("wbr")] : [])));
  return span;
};
// the 95% Wilson score interval (z = 1.959964), as /recommendations computes it
function wilson(completed, resolved) {
  const z = 1.959964, p = completed / resolved, z2 = z * z;
  const centre = p + z2 / (2 * resolved);
  const spread = z * Math.sqrt((p * (1 - p) + z2 / (4 * resolved)) / resolved);
  return { low: Math.max(0, (centre - spread) / (1 + z2 / resolved)),
    high: Math.min(1, (centre + spread) / (1 + z2 / resolved)) };
}
// castes, the busiest first
function castesBySpawns(stats) {
  const spawns = new Map();
  Object.values(stats.models).forEach((m) => Object.entries(m.by_caste).forEach(([caste, c]) =>
    spawns.set(caste, (spawns.get(caste) || 0) + c.spawns)));
  return [...spawns.entries()].sort(([a, x], [b, y]) => y - x || a.localeCompare(b)).map(([caste]) => caste);
}
const when = (timestamp) => new Date(timestamp).toLocaleString("en", { month: "short", day: "numeric",
  hour: "2-digit", minute: "2-digit", hour12: false });

function setStatus(state, text) {
  const status = document.getElementById("status");
  status.dataset.state = state;
  status.textContent = text;
}

function renderTotals(stats) {
  const models = Object.values(stats.models);
  const sum = (field) => models.reduce((total, m) => total + m[field], 0);
  const completed = sum("successful_completions");
  const failed = sum("failed_completions");
  const blocked = sum("blocked");
  const rate = resolvedRate(completed, failed, blocked);
  document.getElementById("total-spawns").textContent = number(stats.total_spawns);
  document.getElementById("total-models").textContent = number(stats.total_models);
  document.getElementById("total-completed").textContent = number(completed);
  document.getElementById("total-open").textContent =
    number(Math.max(0, stats.total_spawns - completed - failed - blocked));
  document.getElementById("overall-rate").textContent = rate === null ? "–" : percent(rate);
  document.getElementById("empty").hidden = stats.total_spawns > 0;
  document.getElementById("dashboard").dataset.empty = String(stats.total_spawns === 0);
}

function renderBars(stats) {
  const rows = Object.entries(stats.models)
    .sort(([, a], [, b]) => b.total_spawns - a.total_spawns)
    .map(([model, m]) => {
      const open = Math.max(0, m.total_spawns - m.successful_completions - m.failed_completions - m.blocked);
      const parts = [["completed", m.successful_completions], ["failed", m.failed_completions],
        ["blocked", m.blocked], ["open", open]];
      const bar = el("div", { class: "bar", role: "img",
        "aria-label": parts.map(([name, n]) => n + " " + name).join(", ") });
      parts.filter(([, n]) => n > 0).forEach(([name, n]) =>
        bar.append(el("span", { class: name, style: { width: (100 * n / m.total_spawns) + "%" },
          title: n + " " + name })));
      return el("div", { class: "bar-row", "data-model": model },
        el("span", { class: "bar-name", title: model, text: model }), bar,
        el("span", { class: "bar-count", text: number(m.total_spawns) }));
    });
  document.getElementById("model-bars").replaceChildren(...rows);
}

// Light to dark blue over the rates the grid shows, lowest to highest, so that 71% and 76% differ
// when every rate lies between 50% and 100%: ordered by lightness, so it reads without colour vision
// too; the ink is whichever of white and near-black contrasts more (WCAG AA at every rate).
function cellColour(rate, lowest, highest) {
  const position = highest > lowest ? (rate - lowest) / (highest - lowest) : 0.5;
  const light = [239, 243, 255], dark = [8, 69, 148];
  const mix = light.map((c, i) => Math.round(c + (dark[i] - c) * position));
  const luminance = mix.map((c) => c / 255).map((c) => (c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4)))
    .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
  const onWhite = 1.05 / (luminance + 0.05), onInk = (luminance + 0.05) / (0.0056 + 0.05);
  return { background: "rgb(" + mix.join(",") + ")", ink: onWhite >= onInk ? "#fff" : "#111" };
}

function renderGrid(stats) {
  const castes = castesBySpawns(stats);
  const cells = Object.entries(stats.models).flatMap(([model, m]) => Object.entries(m.by_caste).map(([caste, c]) => {
    const resolved = c.success + c.failures + c.blocked;
    return { model, caste, c, resolved, rate: resolvedRate(c.success, c.failures, c.blocked),
      low: resolved > 0 ? wilson(c.success, resolved).low : null };
  }));
  const rates = cells.filter((cell) => cell.rate !== null).map((cell) => cell.rate);
  const lowest = Math.min(...rates), highest = Math.max(...rates);
  // per caste, the model /recommendations names: the highest lower bound among those with enough data
  const best = new Map();
  cells.filter((cell) => cell.resolved >= MIN_RESOLVED).forEach((cell) => {
    const leader = best.get(cell.caste);
    if (!leader || cell.low > leader.low || (cell.low === leader.low && cell.resolved > leader.resolved)) {
      best.set(cell.caste, cell);
    }
  });
  const byKey = new Map(cells.map((cell) => [cell.model + "\n" + cell.caste, cell]));
  const head = el("tr", {}, el("th", { scope: "col", text: "model" }),
    ...castes.map((caste) => el("th", { scope: "col", text: caste })));
  const rows = Object.keys(stats.models).map((model) => el("tr", {},
    el("th", { scope: "row" }, breakable(model)),
    ...castes.map((caste) => {
      const cell = byKey.get(model + "\n" + caste);
      if (!cell) return el("td", { class: "none", "data-caste": caste, text: "–" });
      const { c, resolved, rate } = cell;
      const open = c.spawns - resolved;
      const colour = rate === null ? null : cellColour(rate, lowest, highest);
      const isBest = best.get(caste) === cell;
      const classes = [rate === null ? "unresolved" : "", isBest ? "best" : ""].filter(Boolean).join(" ");
      return el("td", { "data-model": model, "data-caste": caste, class: classes,
        style: colour ? { background: colour.background, color: colour.ink } : {},
        title: model + " × " + caste + ": " + c.success + " completed of " + resolved + " resolved"
          + (open > 0 ? ", " + open + " open" : "") + (isBest ? "; the recommended model for " + caste : "") },
        el("span", { class: "rate", text: rate === null ? "–" : percent(rate) }),
        isBest ? el("span", { class: "best-mark", "aria-label": "recommended", text: "★" }) : "",
        el("span", { class: "n", text: number(resolved) + " resolved" }));
    })));
  document.getElementById("grid").replaceChildren(el("thead", {}, head), el("tbody", {}, ...rows));
  const scale = document.getElementById("grid-scale");
  scale.hidden = rates.length === 0;
  if (rates.length > 0) {
    scale.replaceChildren(el("span", { text: percent(lowest) }),
      el("i", { style: { background: "linear-gradient(90deg, " + cellColour(lowest, lowest, highest).background + ", "
        + cellColour(highest, lowest, highest).background + ")" } }),
      el("span", { text: percent(highest) }));
  }
}

function renderRouting(routing) {
  const sources = Object.entries(routing.by_source).sort(([, a], [, b]) => b - a || 0);
  const shown = sources.length > SOURCES_SHOWN + 1 ? sources.slice(0, SOURCES_SHOWN) : sources;
  const rest = sources.slice(shown.length);
  const row = (source, n, attributes) => el("tr", attributes, el("td", { text: source }),
    el("td", { class: "num", text: number(n) }),
    el("td", { class: "num", text: percent(n / routing.total_decisions) }));
  const rows = shown.map(([source, n]) => row(source, n, { "data-source": source }));
  if (rest.length > 0) {
    rows.push(row("other (" + rest.length + " sources)", rest.reduce((total, [, n]) => total + n, 0),
      { "data-source": "", class: "other" }));
  }
  const head = el("tr", {}, el("th", { text: "source" }), el("th", { class: "num", text: "spawns" }),
    el("th", { class: "num", text: "share" }));
  const total = el("tr", { class: "total" }, el("td", { text: "all" }),
    el("td", { class: "num", id: "routing-total", text: number(routing.total_decisions) }), el("td", { class: "num", text: "" }));
  document.getElementById("routing").replaceChildren(el("thead", {}, head), el("tbody", {}, ...rows),
    el("tfoot", {}, total));
}

function renderRecent(stats) {
  const columns = ["time", "model", "caste", "source", "outcome"];
  const head = el("tr", {}, ...columns.map((h) => el("th", { text: h })));
  // data-label: on a phone each decision is a card, its cells labelled
  const cell = (label, ...children) => el("td", { "data-label": label }, ...children);
  const rows = [...stats.recent_decisions].reverse().map((d) => el("tr", {},
    cell("time", el("time", { datetime: d.timestamp, text: when(d.timestamp) })), cell("model", breakable(d.selected_model)),
    cell("caste", d.caste), cell("source", d.source),
    cell("outcome", el("span", { class: "badge " + (d.outcome || "open"), text: d.outcome || "open" }))));
  document.getElementById("recent").replaceChildren(el("thead", {}, head), el("tbody", {}, ...rows));
}

function renderCasteChoices(stats) {
  const select = document.getElementById("caste-select");
  // the busiest caste first, and chosen until the reader chooses another
  const castes = castesBySpawns(stats);
  const chosen = select.value || castes[0];
  select.replaceChildren(...castes.map((caste) => el("option", { value: caste, text: caste })));
  if (chosen) select.value = chosen;
}

async function renderAdvice() {
  const caste = document.getElementById("caste-select").value;
  const summary = document.getElementById("advice-summary");
  const chart = document.getElementById("advice-chart");
  if (!caste) {
    summary.textContent = "";
    chart.replaceChildren();
    return;
  }
  const response = await fetch("recommendations?caste=" + encodeURIComponent(caste), { cache: "no-store" });
  if (!response.ok) {
    throw new Error("recommendations answered " + response.status);
  }
  const advice = await response.json();
  const routed = await fetch("routes/" + encodeURIComponent(caste), { cache: "no-store" });
  const route = routed.ok ? await routed.json() : { candidates: [] };
  const byModel = new Map(route.candidates.map((c) => [c.model, c]));
  const alarms = route.candidates.filter((c) => c.alarm);
  const alerts = document.getElementById("drift-alerts");
  alerts.replaceChildren(...alarms.map((c) => el("li", { "data-model": c.model },
    el("strong", { text: c.model }), (c.alarm.change < 0 ? " fell from " : " rose from ") + percent(c.alarm.before)
      + " to " + percent(c.alarm.after) + " on " + c.alarm.outcomes_since_change + " outcomes since "
      + new Date(c.alarm.at).toLocaleString())));
  alerts.hidden = alarms.length === 0;
  summary.replaceChildren(advice.recommended
    ? el("span", {}, "Route ", el("strong", { id: "recommended", text: advice.recommended }), " for " + caste,
      el("span", { class: "confidence", "data-confident": String(advice.confidence),
        text: advice.confidence ? "clearly ahead" : "not clearly ahead" }))
    : el("span", { id: "recommended", "data-none": "true", text: "No recommendation yet: " + advice.reason }));
  summary.title = advice.reason;
  const leader = advice.recommended && byModel.get(advice.recommended);
  // the two answers differ in kind; say why they may seem to disagree
  document.getElementById("advice-why").textContent = !advice.recommended ? ""
    : (advice.confidence ? "Its whole 95% interval lies above the runner-up's."
      : "Its 95% interval overlaps the runner-up's, so the data cannot yet prove it best.")
      + (leader ? " The router still picks it for " + percent(leader.probability) + " of new spawns: it bets on the "
        + "chance that each model is the best, from recent outcomes, while this advice waits for proof." : "");
  const header = el("div", { class: "interval-row interval-head", "aria-hidden": "true" },
    el("span", { text: "model" }), el("span", { text: "resolved success rate, 95% interval" }),
    el("span", { class: "interval-n", text: "resolved" }),
    el("span", { class: "interval-n", text: "router picks now" }), el("span", {}));
  chart.replaceChildren(header, ...advice.models.map((m) => {
    const axis = el("div", { class: "axis", role: "img", "aria-label": m.wilson
      ? m.model + ": " + percent(m.wilson.low) + " to " + percent(m.wilson.high)
      : m.model + ": nothing resolved yet" });
    if (m.wilson) {
      axis.append(el("span", { class: "range", style: { left: (m.wilson.low * 100) + "%",
        width: ((m.wilson.high - m.wilson.low) * 100) + "%" } }));
      axis.append(el("span", { class: "point", style: { left: (m.resolved_success_rate * 100) + "%" } }));
    }
    const resolved = m.completed + m.failed + m.blocked;
    const candidate = byModel.get(m.model);
    return el("div", { class: "interval-row", "data-model": m.model, "data-insufficient": String(m.insufficient_data),
      "data-low": m.wilson ? m.wilson.low : "", "data-high": m.wilson ? m.wilson.high : "" },
      el("span", { class: "bar-name", title: m.model }, m.rank + ". ", breakable(m.model)), axis,
      el("span", { class: "interval-n", text: number(resolved) }),
      el("span", { class: "interval-n routed",
        title: "the chance that the router chooses it for the next spawn of " + caste + " (GET /routes)",
        "data-probability": candidate ? candidate.probability : "",
        text: candidate ? percent(candidate.probability) : "–" }),
      el("span", { class: "interval-n drift", text: candidate && candidate.alarm ? "⚠ drift" : "" }));
  }));
}

// at most this many castes get a card, the busiest first
const GAIN_CASTES = 8;

// per caste with routed spawns, the logged policy beside the best fixed model and the default
async function renderGains(stats) {
  const castes = castesBySpawns(stats).slice(0, GAIN_CASTES);
  const evaluations = await Promise.all(castes.map(async (caste) => {
    const response = await fetch("routes/" + encodeURIComponent(caste) + "/evaluation?days=7", { cache: "no-store" });
    if (!response.ok) {
      throw new Error("evaluation answered " + response.status);
    }
    return response.json();
  }));
  const routed = evaluations.filter((evaluation) => evaluation.routed > 0);
  const container = document.getElementById("gains");
  if (routed.length === 0) {
    container.replaceChildren(el("p", { class: "hint", text: "No spawn the service routed has ended in the last 7 "
      + "days. Spawns posted with a route (POST /spawns with route.candidates) show here what routing gains." }));
    return;
  }
  container.replaceChildren(...routed.map((evaluation) => {
    const shown = evaluation.policies.filter((policy) => policy.policy === "logged" || policy.policy === "default"
      || (policy.policy === "always" && policy.model === evaluation.best_fixed));
    return el("div", { class: "gain", "data-caste": evaluation.caste },
      el("h3", { text: evaluation.caste }),
      el("ul", {}, ...shown.map((policy) => el("li", { "data-policy": policy.policy,
        "data-enough": String(policy.enough_exploration), text: policy.summary }))),
      el("p", { class: "hint", text: number(evaluation.routed) + " routed spawns ended"
        + (evaluation.chosen_by_client.resolved > 0
          ? "; " + number(evaluation.chosen_by_client.resolved) + " chosen by the client are not counted" : "") }));
  }));
}

const SVG = "http://www.w3.org/2000/svg";
const TREND_MODELS = 4;

function svg(tag, attributes, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (name === "text") node.textContent = value;
    else node.setAttribute(name, value);
  }
  children.forEach((child) => node.append(child));
  return node;
}

// the number of days each point of the chart pools: a day alone holds too few outcomes to read
const TREND_POOLED_DAYS = 7;
const TREND_MIN_DAYS = 7;
let trendFocus = null;
const day = (instant) => new Date(instant).toLocaleDateString("en", { month: "short", day: "numeric", timeZone: "UTC" });

// Each point pools the outcomes of its day and the days before it (up to TREND_POOLED_DAYS), so a
// line moves with the evidence, not with the luck of one day's few spawns.
function pooled(points, start) {
  const plotted = [];
  for (let i = start; i < points.length; i++) {
    let completed = 0, resolved = 0;
    for (let j = Math.max(0, i - TREND_POOLED_DAYS + 1); j <= i; j++) {
      completed += points[j].completed;
      resolved += points[j].completed + points[j].failed + points[j].blocked;
    }
    if (resolved > 0) plotted.push({ i, day: points[i].start, completed, resolved, rate: completed / resolved,
      interval: wilson(completed, resolved) });
  }
  return plotted;
}

// The caste's most used models over the days that hold its spawns (at least a week, at most 30).
async function renderTrend(stats) {
  const caste = document.getElementById("caste-select").value;
  document.getElementById("trend-caste").textContent = caste || "–";
  const chart = document.getElementById("trend-chart");
  const legend = document.getElementById("trend-legend");
  if (!caste) {
    chart.replaceChildren();
    legend.replaceChildren();
    return;
  }
  const models = Object.entries(stats.models)
    .filter(([, m]) => m.by_caste[caste])
    .sort(([, a], [, b]) => b.by_caste[caste].spawns - a.by_caste[caste].spawns)
    .slice(0, TREND_MODELS)
    .map(([model]) => model);
  const series = await Promise.all(models.map(async (model) => {
    const response = await fetch("stats/trends?bucket=day&caste=" + encodeURIComponent(caste) + "&model="
      + encodeURIComponent(model), { cache: "no-store" });
    if (!response.ok) throw new Error("stats/trends answered " + response.status);
    return { model, trend: await response.json() };
  }));
  if (!models.includes(trendFocus)) trendFocus = models[0];
  const days = series.length ? series[0].trend.points.length : 0;
  const firstUsed = Math.min(days, ...series.map(({ trend }) => trend.points.findIndex((p) => p.spawns > 0))
    .filter((i) => i >= 0));
  const start = Math.max(0, Math.min(firstUsed, days - TREND_MIN_DAYS));
  const shown = days - start;
  // drawn at the width it is shown at, so that its text stays the page's size
  const width = Math.max(320, Math.round(chart.clientWidth || 640)), height = 220;
  const left = 40, right = 12, top = 8, bottom = 24;
  const plotWidth = width - left - right, plotHeight = height - top - bottom;
  const x = (i) => left + (shown > 1 ? ((i - start) * plotWidth) / (shown - 1) : plotWidth / 2);
  const y = (rate) => top + (1 - rate) * plotHeight;
  const drawing = svg("svg", { viewBox: "0 0 " + width + " " + height, role: "img", class: "trend-svg",
    "data-from": shown > 0 ? series[0].trend.points[start].start : "",
    "aria-label": "Resolved success rate, pooled over " + TREND_POOLED_DAYS + " days, of " + models.join(", ")
      + " for " + caste });
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    drawing.append(svg("line", { class: "gridline", x1: left, x2: width - right, y1: y(tick), y2: y(tick) }));
    drawing.append(svg("text", { class: "tick", x: left - 4, y: y(tick) + 4, "text-anchor": "end",
      text: Math.round(tick * 100) + "%" }));
  }
  if (shown > 0) {
    const points = series[0].trend.points;
    // at most about six dates, the last day always among them
    const step = Math.max(1, Math.ceil(shown / 6));
    for (let i = days - 1; i >= start; i -= step) {
      const anchor = i === days - 1 ? "end" : (i - start < step / 2 ? "start" : "middle");
      drawing.append(svg("text", { class: "tick date", x: x(i), y: height - 6, "text-anchor": anchor,
        text: day(points[i].start) }));
    }
  }
  series.forEach(({ model, trend }, index) => {
    const plotted = pooled(trend.points, start);
    const focused = model === trendFocus;
    const group = svg("g", { class: "series series-" + index + (focused ? " focused" : ""), "data-model": model,
      "data-points": String(plotted.length),
      "data-last-rate": plotted.length ? String(plotted[plotted.length - 1].rate) : "" });
    if (focused && plotted.length > 1) {
      const upper = plotted.map((p) => x(p.i) + "," + y(p.interval.high));
      const lower = plotted.slice().reverse().map((p) => x(p.i) + "," + y(p.interval.low));
      group.append(svg("polygon", { class: "band", points: upper.concat(lower).join(" ") }));
    }
    if (plotted.length > 1) {
      group.append(svg("polyline", { class: "line", points: plotted.map((p) => x(p.i) + "," + y(p.rate)).join(" ") }));
    }
    plotted.forEach((p) => group.append(svg("circle", { class: "dot", cx: x(p.i), cy: y(p.rate), r: focused ? 3 : 2 },
      svg("title", { text: model + ", " + TREND_POOLED_DAYS + " days to " + day(p.day) + ": " + p.completed + " of "
        + p.resolved + " resolved completed (" + percent(p.rate) + "; 95% interval " + percent(p.interval.low) + "–"
        + percent(p.interval.high) + ")" }))));
    drawing.append(group);
  });
  // the focused series on top
  const top_ = drawing.querySelector(".series.focused");
  if (top_) drawing.append(top_);
  chart.replaceChildren(drawing);
  legend.replaceChildren(...series.map(({ model, trend }, index) => el("li", { "data-model": model },
    el("button", { type: "button", class: model === trendFocus ? "focused" : "", "aria-pressed": String(model === trendFocus),
      title: "show the 95% interval of " + model },
    el("i", { class: "series-" + index }), model + " · " + (trend.total.resolved_success_rate === null ? "nothing resolved"
      : percent(trend.total.resolved_success_rate) + " of " + number(trend.total.completed + trend.total.failed
        + trend.total.blocked) + " resolved")))));
  legend.querySelectorAll("button").forEach((button) => button.addEventListener("click", () => {
    trendFocus = button.parentElement.dataset.model;
    renderTrend(last.stats).catch(() => setStatus("unreachable", "Service unreachable — showing the last data received; retrying"));
  }));
}

async function poll() {
  try {
    const stats = await fetchJson("stats");
    const routing = await fetchJson("stats/routing?days=" + ROUTING_DAYS);
    if (stats.changed) {
      renderTotals(stats.body);
      renderBars(stats.body);
      renderGrid(stats.body);
      renderRecent(stats.body);
      renderCasteChoices(stats.body);
      await renderAdvice();
      await renderGains(stats.body);
      await renderTrend(stats.body);
    }
    if (routing.changed) {
      renderRouting(routing.body);
    }
    document.getElementById("dashboard").setAttribute("aria-busy", "false");
    setStatus("live", "Live · updated " + new Date().toLocaleTimeString());
  } catch (error) {
    setStatus("unreachable", "Service unreachable — showing the last data received; retrying");
  } finally {
    setTimeout(poll, POLL_MS);
  }
}

document.getElementById("caste-select").addEventListener("change", () =>
  Promise.all([renderAdvice(), renderTrend(last.stats)]).catch(() =>
    setStatus("unreachable", "Service unreachable — showing the last data received; retrying")));

poll();
