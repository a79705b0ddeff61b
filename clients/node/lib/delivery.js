'use strict';

const { pausePoint } = require('./pause');

const FIRST_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 30 * 1000;

/**
 * Delivers what waits in the spool, one entry at a time and in the order kept, in the
 * background: one run at a time per process, never holding a write. After a failure it
 * waits (exponential backoff, or the service's Retry-After) and tries again by itself.
 * An outcome or usage answered 404 while its spawn waits in a spool is held back, with
 * every later entry of that spawn, and retried later; other entries go on.
 */
class Delivery {
  constructor({ spool, send, timeoutMs, reportRefusal }) {
    this.spool = spool;
    this.send = send;
    this.timeoutMs = timeoutMs;
    this.reportRefusal = reportRefusal;
    this.running = null;
    this.failures = 0;
    this.waitUntil = 0;
    this.timer = null;
    this.lastError = undefined;
    this.waiters = new Map();
    this.delivered = 0;
    this.refused = [];
  }

  /** Whether the service asked for, or the last failure earned, a pause. */
  get backingOff() {
    return Date.now() < this.waitUntil;
  }

  /** Starts a run unless one runs, or a pause is on and not to be ignored. */
  run({ ignoreBackoff = false } = {}) {
    if (this.running) return this.running;
    if (!ignoreBackoff && this.backingOff) return Promise.resolve();
    this.running = this.loop().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** The result of a kept entry once delivered or refused, or null at the deadline. */
  awaitEntry(seq, deadline) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(seq);
        resolve(null);
      }, Math.max(0, deadline - Date.now()));
      this.waiters.set(seq, (result) => {
        clearTimeout(timer);
        resolve(result);
      });
    });
  }

  async loop() {
    const heldBack = new Set();
    for (let next = this.spool.next(heldBack); next; next = this.spool.next(heldBack)) {
      const result = await this.send(next.entry, Date.now() + this.timeoutMs);
      if (result.kind === 'retry') {
        this.failed(result);
        return;
      }
      if (result.kind === 'refused' && result.status === 404 && next.entry.op !== 'spawn'
          && this.spool.spawnWaiting(next.entry.spawn_id)) {
        heldBack.add(next.entry.spawn_id);
        continue;
      }
      pausePoint('delivered');
      this.spool.done(next);
      this.failures = 0;
      this.waitUntil = 0;
      this.lastError = undefined;
      if (result.kind === 'delivered') this.delivered++;
      else this.reportRefusal(next.entry, result);
      const waiter = this.waiters.get(next.entry.seq);
      if (waiter) {
        this.waiters.delete(next.entry.seq);
        waiter(result);
      }
    }
    if (heldBack.size > 0) {
      this.failed({ error: `an outcome waits for its spawn, still in a spool of ${this.spool.dir}` });
    }
  }

  failed(result) {
    this.failures++;
    this.lastError = result.error;
    const backoff = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (this.failures - 1));
    const wait = result.retryAfterMs ?? Math.round(backoff * (0.5 + Math.random() / 2));
    this.waitUntil = Date.now() + wait;
    this.schedule(wait);
  }

  /**
   * Tries again after the pause, without keeping the process alive for it. The timer is
   * the pause's end, whatever the wall clock says: a timer may fire a millisecond before
   * Date.now() reaches waitUntil, and a run refused as still backing off would then leave
   * the spool waiting for the next write.
   */
  schedule(wait) {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.spool.pendingCount() > 0) this.run({ ignoreBackoff: true }).catch(() => undefined);
    }, wait);
    this.timer.unref();
  }
}

module.exports = { Delivery };
