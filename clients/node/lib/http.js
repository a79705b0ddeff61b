'use strict';

/** Longest wait a Retry-After is honoured for; a longer one is taken as this. */
const MAX_RETRY_AFTER_MS = 60 * 60 * 1000;

/**
 * Requests to the service, each bounded by a deadline; and what an answer means for a
 * write: delivered, refused (never retried) or to retry later.
 */
function createHttp({ url, token, timeoutMs }) {
  /**
   * @param {string} method
   * @param {string} path
   * @param {{ body?: any, headers?: Record<string, string>, deadline?: number }} [options]
   */
  async function request(method, path, { body, headers = {}, deadline } = {}) {
    const remaining = Math.max(1, (deadline ?? Date.now() + timeoutMs) - Date.now());
    const response = await fetch(url + path, {
      method,
      headers: {
        Accept: 'application/json',
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(remaining),
    });
    const text = await response.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: response.status, json, headers: response.headers };
  }

  /** Why a request got no answer, for a person. */
  function failure(error) {
    return error.name === 'TimeoutError' || error.name === 'AbortError'
      ? `no answer within ${timeoutMs} ms`
      : `cannot reach ${url}: ${(error.cause && error.cause.code) || error.message}`;
  }

  /**
   * Sends one write. Network errors, timeouts, 408, 429 and every 5xx are 'retry' (with
   * the Retry-After asked for, if any); other 4xx are 'refused'.
   */
  async function send(entry, deadline) {
    const id = encodeURIComponent(entry.spawn_id);
    try {
      const { status, json, headers } = entry.op === 'spawn'
        ? await request('POST', '/spawns', { body: entry.body, deadline })
        : entry.op === 'outcome'
          ? await request('PUT', `/spawns/${id}/outcome`, { body: entry.body, deadline })
          : await request('POST', `/spawns/${id}/usage`, {
            body: entry.body, deadline, headers: { 'Idempotency-Key': entry.key },
          });
      if (status >= 200 && status < 300) return { kind: 'delivered', status, record: json };
      const error = (json && (json.detail || json.title)) || `HTTP ${status}`;
      if (status === 408 || status === 429 || status >= 500) {
        return { kind: 'retry', status, error, retryAfterMs: retryAfter(headers.get('retry-after')) };
      }
      return { kind: 'refused', status, error, problem: json };
    } catch (error) {
      return { kind: 'retry', error: failure(error) };
    }
  }

  return { request, send, failure };
}

/** Retry-After as seconds or as an HTTP date, in milliseconds from now; undefined if neither. */
function retryAfter(value) {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const seconds = /^\d+$/.test(value.trim()) ? Number(value.trim()) * 1000 : Date.parse(value) - Date.now();
  if (!Number.isFinite(seconds)) return undefined;
  return Math.min(Math.max(0, seconds), MAX_RETRY_AFTER_MS);
}

module.exports = { createHttp, retryAfter };
