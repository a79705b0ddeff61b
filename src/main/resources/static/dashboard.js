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
const number = (n) => n.toLocaleString("en");

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

// Light to dark blue: ordered by lightness, so it reads without colour vision too; the ink is
// whichever of white and near-black contrasts more with the cell (WCAG AA at every rate).
function cellColour(rate) {
  const light = [239, 243, 255], dark = [8, 69, 148];
  const mix = light.map((c, i) => Math.round(c + (dark[i] - c) * rate));
  const luminance = mix.map((c) => c / 255).map((c) => (c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4)))
    .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
  const onWhite = 1.05 / (luminance + 0.05), onInk = (luminance + 0.05) / (0.0056 + 0.05);
  return { background: "rgb(" + mix.join(",") + ")", ink: onWhite >= onInk ? "#fff" : "#111" };
}

function renderGrid(stats) {
  const castes = [...new Set(Object.values(stats.models).flatMap((m) => Object.keys(m.by_caste)))].sort();
  const head = el("tr", {}, el("th", { scope: "col", text: "model" }),
    ...castes.map((caste) => el("th", { scope: "col", text: caste })));
  const rows = Object.entries(stats.models).map(([model, m]) => el("tr", {},
    el("th", { scope: "row", text: model }),
    ...castes.map((caste) => {
      const c = m.by_caste[caste];
      if (!c) return el("td", { class: "none", "data-caste": caste, text: "–" });
      const resolved = c.success + c.failures + c.blocked;
      const rate = resolvedRate(c.success, c.failures, c.blocked);
      const colour = rate === null ? { background: "", ink: "" } : cellColour(rate);
      return el("td", { "data-model": model, "data-caste": caste, class: rate === null ? "unresolved" : "",
        style: rate === null ? {} : { background: colour.background, color: colour.ink },
        title: model + " × " + caste + ": " + c.success + " of " + resolved + " resolved completed, "
          + (c.spawns - resolved) + " open" },
        el("span", { class: "rate", text: rate === null ? "–" : percent(rate) }),
        el("span", { class: "n", text: number(resolved) + " of " + number(c.spawns) }));
    })));
  document.getElementById("grid").replaceChildren(el("thead", {}, head), el("tbody", {}, ...rows));
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
  const head = el("tr", {}, el("th", { text: "source" }), el("th", { class: "num", text: "decisions" }),
    el("th", { class: "num", text: "share" }));
  document.getElementById("routing").replaceChildren(el("thead", {}, head), el("tbody", {}, ...rows));
}

function renderRecent(stats) {
  const columns = ["time", "model", "caste", "source", "outcome"];
  const head = el("tr", {}, ...columns.map((h) => el("th", { text: h })));
  // data-label: on a phone each decision is a card, its cells labelled
  const cell = (label, ...children) => el("td", { "data-label": label }, ...children);
  const rows = [...stats.recent_decisions].reverse().map((d) => el("tr", {},
    cell("time", new Date(d.timestamp).toLocaleTimeString()), cell("model", d.selected_model),
    cell("caste", d.caste), cell("source", d.source),
    cell("outcome", el("span", { class: "badge " + (d.outcome || "open"), text: d.outcome || "open" }))));
  document.getElementById("recent").replaceChildren(el("thead", {}, head), el("tbody", {}, ...rows));
}

function renderCasteChoices(stats) {
  const select = document.getElementById("caste-select");
  const castes = [...new Set(Object.values(stats.models).flatMap((m) => Object.keys(m.by_caste)))].sort();
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
  chart.replaceChildren(...advice.models.map((m) => {
    const axis = el("div", { class: "axis", role: "img", "aria-label": m.wilson
      ? m.model + ": " + percent(m.wilson.low) + " to " + percent(m.wilson.high)
      : m.model + ": nothing resolved yet" });
    if (m.wilson) {
      axis.append(el("span", { class: "range", style: { left: (m.wilson.low * 100) + "%",
        width: ((m.wilson.high - m.wilson.low) * 100) + "%" } }));
      axis.append(el("span", { class: "point", style: { left: (m.resolved_success_rate * 100) + "%" } }));
    }
    const resolved = m.completed + m.failed + m.blocked;
    return el("div", { class: "interval-row", "data-model": m.model, "data-insufficient": String(m.insufficient_data),
      "data-low": m.wilson ? m.wilson.low : "", "data-high": m.wilson ? m.wilson.high : "" },
      el("span", { class: "bar-name", title: m.model, text: m.rank + ". " + m.model }), axis,
      el("span", { class: "interval-n", text: "n = " + resolved }),
      el("span", { class: "interval-n routed", title: "the probability that the routing policy chooses it now",
        "data-probability": byModel.has(m.model) ? byModel.get(m.model).probability : "",
        text: byModel.has(m.model) ? "routed " + percent(byModel.get(m.model).probability) : "" }),
      el("span", { class: "interval-n drift", text: byModel.has(m.model) && byModel.get(m.model).alarm ? "⚠ drift" : "" }));
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

// The caste's most used models, each with its daily series of the last 30 days.
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
  // drawn at the width it is shown at, so that its text stays the page's size
  const width = Math.max(320, Math.round(chart.clientWidth || 640)), height = 220;
  const left = 40, right = 8, top = 8, bottom = 24;
  const plotWidth = width - left - right, plotHeight = height - top - bottom;
  const points = series.length ? series[0].trend.points.length : 0;
  const x = (i) => left + (points > 1 ? (i * plotWidth) / (points - 1) : plotWidth / 2);
  const y = (rate) => top + (1 - rate) * plotHeight;
  const drawing = svg("svg", { viewBox: "0 0 " + width + " " + height, role: "img", class: "trend-svg",
    "aria-label": "Daily resolved success rate of " + models.join(", ") + " for " + caste });
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    drawing.append(svg("line", { class: "gridline", x1: left, x2: width - right, y1: y(tick), y2: y(tick) }));
    drawing.append(svg("text", { class: "tick", x: left - 4, y: y(tick) + 4, "text-anchor": "end",
      text: Math.round(tick * 100) + "%" }));
  }
  if (points > 0) {
    const dates = series[0].trend.points;
    drawing.append(svg("text", { class: "tick", x: left, y: height - 6, text: dates[0].start.slice(0, 10) }));
    drawing.append(svg("text", { class: "tick", x: width - right, y: height - 6, "text-anchor": "end",
      text: dates[dates.length - 1].start.slice(0, 10) }));
  }
  series.forEach(({ model, trend }, index) => {
    const group = svg("g", { class: "series series-" + index, "data-model": model,
      "data-resolved-days": String(trend.points.filter((p) => p.wilson).length) });
    // one band and one line per run of days with resolved spawns
    let run = [];
    const flush = () => {
      if (run.length === 0) return;
      const upper = run.map(([i, p]) => x(i) + "," + y(p.wilson.high));
      const lower = run.slice().reverse().map(([i, p]) => x(i) + "," + y(p.wilson.low));
      group.append(run.length > 1 ? svg("polygon", { class: "band", points: upper.concat(lower).join(" ") })
        : svg("line", { class: "band band-day", x1: x(run[0][0]), x2: x(run[0][0]), y1: y(run[0][1].wilson.high),
          y2: y(run[0][1].wilson.low) }));
      group.append(svg("polyline", { class: "line",
        points: run.map(([i, p]) => x(i) + "," + y(p.resolved_success_rate)).join(" ") }));
      run.forEach(([i, p]) => group.append(svg("circle", { class: "dot", cx: x(i), cy: y(p.resolved_success_rate),
        r: 2.5 }, svg("title", { text: p.start.slice(0, 10) + ": " + p.completed + " of "
          + (p.completed + p.failed + p.blocked) + " resolved completed (" + percent(p.resolved_success_rate)
          + "; 95% interval " + percent(p.wilson.low) + "–" + percent(p.wilson.high) + ")" }))));
      run = [];
    };
    trend.points.forEach((p, i) => (p.wilson ? run.push([i, p]) : flush()));
    flush();
    drawing.append(group);
  });
  chart.replaceChildren(drawing);
  legend.replaceChildren(...series.map(({ model, trend }, index) => el("li", { "data-model": model },
    el("i", { class: "series-" + index }), model + " · " + (trend.total.resolved_success_rate === null ? "nothing resolved"
      : percent(trend.total.resolved_success_rate) + " of " + number(trend.total.completed + trend.total.failed
        + trend.total.blocked)))));
}

async function poll() {
  try {
    const stats = await fetchJson("stats");
    const routing = await fetchJson("stats/routing");
    if (stats.changed) {
      renderTotals(stats.body);
      renderBars(stats.body);
      renderGrid(stats.body);
      renderRecent(stats.body);
      renderCasteChoices(stats.body);
      await renderAdvice();
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
