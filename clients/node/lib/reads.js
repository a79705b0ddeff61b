'use strict';

const { TelemetryError } = require('./errors');

/** The query string of the parameters that are set, or nothing. */
function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null) search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/**
 * The reads: each answers the service's JSON, or throws a TelemetryError (with the status
 * of a refusal) when it cannot be had.
 * @param {ReturnType<typeof import('./http').createHttp>} http
 */
function createReads(http) {
  /** @param {string} path @param {Record<string, string>} [headers] */
  async function get(path, headers = {}) {
    try {
      return await http.request('GET', path, { headers });
    } catch (error) {
      throw new TelemetryError(http.failure(error));
    }
  }

  /** @param {{ status: number, json: any }} result */
  function refused(result) {
    const detail = (result.json && (result.json.detail || result.json.title)) || `HTTP ${result.status}`;
    return new TelemetryError(detail, { status: result.status, problem: result.json });
  }

  /** @param {string} path */
  async function read(path) {
    const result = await get(path);
    if (result.status >= 200 && result.status < 300) return result.json;
    throw refused(result);
  }

  return {
    summary: () => read('/stats'),
    /** @param {string} name */
    model: (name) => read(`/stats/models/${String(name).split('/').map(encodeURIComponent).join('/')}`),
    routing: ({ days, caste } = /** @type {{ days?: number, caste?: string }} */ ({})) =>
      read(`/stats/routing${query({ days, caste })}`),
    ranking: () => read('/stats/ranking'),
    /** @param {string} name */
    caste: (name) => read(`/stats/castes/${encodeURIComponent(name)}`),
    /** @param {string} caste */
    recommend: (caste, { minResolved, days } = /** @type {{ minResolved?: number, days?: number }} */ ({})) =>
      read(`/recommendations${query({ caste, min_resolved: minResolved, days })}`),
    trends: ({ model, caste, source, bucket, from, to } = /** @type {Record<string, string | undefined>} */ ({})) =>
      read(`/stats/trends${query({ model, caste, source, bucket, from, to })}`),
    spawns: ({ limit, caste, model, source, outcome } = /** @type {Record<string, any>} */ ({})) =>
      read(`/spawns${query({ limit, caste, model, source, outcome })}`),

    /**
     * What the routing policy would choose for a caste now, without recording a spawn.
     * @param {string} caste
     * @param {{ candidates?: string[], objective?: string, taskClass?: string, task?: string }} [options]
     */
    route(caste, options = {}) {
      const candidates = options.candidates ? options.candidates.join(',') : undefined;
      return read(`/routes/${encodeURIComponent(caste)}${query({
        candidates, objective: options.objective, task_class: options.taskClass, task: options.task,
      })}`);
    },

    /**
     * What routing gained for a caste over the last days: the logged policy's rate beside
     * what always one model, uniform choice and the caste's configured default would have
     * had on the same routed spawns (off-policy estimates from the recorded propensities).
     * @param {string} caste
     * @param {{ days?: number, taskClass?: string }} [options]
     */
    evaluate(caste, options = {}) {
      return read(`/routes/${encodeURIComponent(caste)}/evaluation${query({
        days: options.days, task_class: options.taskClass,
      })}`);
    },

    /**
     * The success-rate changes the detector found, newest first.
     * @param {{ days?: number }} [options]
     */
    alerts(options = {}) {
      return read(`/stats/alerts${query({ days: options.days })}`);
    },

    /**
     * A conditional read: null when the ETag still matches.
     * @param {string} path
     * @param {string | null} etag
     */
    async readIfChanged(path, etag) {
      const result = await get(path, etag ? { 'If-None-Match': etag } : {});
      if (result.status === 304) return null;
      if (result.status < 200 || result.status >= 300) throw refused(result);
      return { etag: result.headers.get('etag'), body: result.json };
    },
  };
}

module.exports = { createReads, query };
