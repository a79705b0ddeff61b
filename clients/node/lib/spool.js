'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { Owner, isAlive, removeDeadSocket } = require('./owner');
const { pausePoint } = require('./pause');

/** spool-<created ms>-<owner id>-<file id>.jsonl */
const SPOOL_FILE = /^spool-(\d{13})-([0-9a-f]{12})-([0-9a-f]{8})\.jsonl$/;

/** The previous client's files, whose owner was known by PID alone. */
const LEGACY_FILE = /^spool-(\d{1,10})-(\d+)-([0-9a-f]+)\.jsonl(?:\.claimed-(\d+))?$/;

const OPS = new Set(['spawn', 'outcome', 'usage']);

/**
 * Writes that could not be delivered yet, on disk until they are.
 *
 * Each process appends to files of its own, named for its owner id, whose liveness an
 * {@link Owner} lock decides. A file holds JSON lines of three kinds: an entry (a write to
 * deliver), an ack (`{"ack": seq}`: that entry was delivered or refused) and a quarantine
 * mark (the line at that offset could not be read, and was set aside). Nothing is ever
 * rewritten: an entry is appended and fsynced before it is answered as kept, an ack as
 * soon as it is delivered, so a crash at any point re-sends at most the entry in flight;
 * a file is removed once every entry in it is acked. A file of a dead owner is taken over
 * by renaming it to the new owner's name, one atomic step: a crash right after leaves it
 * named for an owner that is dead in turn, to be taken over again.
 */
class Spool {
  /**
   * @param {string} dir
   * @param {{ logger?: { warn: (line: string) => void } }} [options]
   */
  constructor(dir, { logger } = {}) {
    this.dir = dir;
    this.logger = logger;
    this.owner = new Owner(dir);
    /** Files this process owns, oldest first: { path, created, fileId, fd, size, entries, poisoned } */
    this.files = [];
    this.current = null;
    this.serial = Promise.resolve();
  }

  /** Entries waiting in this process's files. */
  pendingCount() {
    return this.files.reduce((sum, file) => sum + file.entries.size, 0);
  }

  /**
   * Keeps an entry on disk: every byte written and fsynced before it answers ok. A short
   * or failed write is cut off again and answered not kept.
   */
  keep(entry) {
    const run = this.serial.then(async () => {
      try {
        // no await between choosing the file and appending: a drained file may be removed
        const file = (this.current && !this.current.poisoned) ? this.current : await this.appendable();
        appendLine(file, JSON.stringify(entry) + '\n');
        file.entries.set(entry.seq, entry);
        return { ok: true };
      } catch (error) {
        return { ok: false, error: `could not keep the write in ${this.dir}: ${error.code || error.message}` };
      }
    });
    this.serial = run.then(() => undefined);
    return run;
  }

  /** The first entry to deliver whose spawn is not held back, in the order kept. */
  next(heldBack) {
    for (const file of this.files) {
      for (const entry of file.entries.values()) {
        if (!heldBack.has(entry.spawn_id)) return { file, entry };
      }
    }
    return null;
  }

  /**
   * Records that an entry was delivered or refused, so that it is never sent again; the
   * file goes once it holds nothing more to deliver.
   * @returns false if the ack could not be made durable (a crash would re-send it)
   */
  done({ file, entry }) {
    let durable = true;
    file.entries.delete(entry.seq);
    try {
      appendLine(file, JSON.stringify({ ack: entry.seq }) + '\n');
    } catch {
      durable = false;
    }
    if (file.entries.size === 0) this.remove(file);
    return durable;
  }

  /**
   * Takes over the files of owners that are dead, and of the previous client's owners
   * whose process is gone; answers how many entries and how many unreadable lines they
   * held, and how many entries wait in the files of owners still alive, which deliver
   * them themselves.
   */
  async adopt() {
    let names;
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return { adopted: 0, quarantined: 0, waitingElsewhere: 0, liveOwners: 0 };
    }
    const liveness = new Map();
    const alive = async (id) => {
      if (!liveness.has(id)) liveness.set(id, await isAlive(this.dir, id));
      return liveness.get(id);
    };
    const candidates = [];
    const liveOwners = new Set();
    let waitingElsewhere = 0;
    for (const name of names) {
      const match = SPOOL_FILE.exec(name);
      if (match) {
        if (match[2] === this.owner.id) continue;
        if (!(await alive(match[2]))) {
          candidates.push({ name, created: match[1], fileId: match[3], deadOwner: match[2] });
        } else {
          const waiting = countWaiting(path.join(this.dir, name));
          if (waiting > 0) liveOwners.add(match[2]);
          waitingElsewhere += waiting;
        }
        continue;
      }
      const legacy = LEGACY_FILE.exec(name);
      if (legacy && !pidAlive(Number(legacy[4] || legacy[1]))) {
        const created = legacy[2].padStart(13, '0').slice(-13);
        const fileId = crypto.createHash('sha256').update(name).digest('hex').slice(0, 8);
        candidates.push({ name, created, fileId });
      }
    }
    candidates.sort((a, b) => a.created.localeCompare(b.created));
    let adopted = 0;
    let quarantined = 0;
    for (const candidate of candidates) {
      await this.holdOwner();
      const target = path.join(this.dir, `spool-${candidate.created}-${this.owner.id}-${candidate.fileId}.jsonl`);
      try {
        fs.renameSync(path.join(this.dir, candidate.name), target);
      } catch (error) {
        if (error.code === 'ENOENT') continue; // another process took it first
        throw error;
      }
      fsyncDirectory(this.dir);
      pausePoint('adopt-renamed');
      const file = this.read(target, candidate);
      adopted += file.entries.size;
      quarantined += file.quarantined;
      if (file.entries.size === 0) this.remove(file);
      else this.insert(file);
    }
    await this.removeDeadSockets(names, alive);
    this.releaseIfIdle();
    return { adopted, quarantined, waitingElsewhere, liveOwners: liveOwners.size };
  }

  /** Removes the sockets left by dead owners that own no file any more. */
  async removeDeadSockets(names, alive) {
    const owning = new Set();
    for (const name of fs.readdirSync(this.dir)) {
      const match = SPOOL_FILE.exec(name);
      if (match) owning.add(match[2]);
    }
    for (const name of names) {
      const match = /^owner-([0-9a-f]{12})\.sock$/.exec(name);
      if (match && match[1] !== this.owner.id && !owning.has(match[1]) && !(await alive(match[1]))) {
        removeDeadSocket(this.dir, match[1]);
      }
    }
  }

  /**
   * Whether a spawn waits in a spool of the directory, this process's or another's:
   * an outcome the service answers 404 for then waits behind it.
   */
  spawnWaiting(spawnId) {
    for (const file of this.files) {
      for (const entry of file.entries.values()) {
        if (entry.op === 'spawn' && entry.spawn_id === spawnId) return true;
      }
    }
    let names;
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return false;
    }
    const needle = JSON.stringify(spawnId);
    for (const name of names) {
      if (!(SPOOL_FILE.test(name) || LEGACY_FILE.test(name)) || this.files.some((file) => path.basename(file.path) === name)) {
        continue;
      }
      let content;
      try {
        content = fs.readFileSync(path.join(this.dir, name), 'utf8');
      } catch {
        continue;
      }
      if (!content.includes(needle)) continue;
      const { entries } = parseLines(content);
      for (const entry of entries.values()) {
        if (entry.op === 'spawn' && entry.spawn_id === spawnId) return true;
      }
    }
    return false;
  }

  /** A file to append to, made (after the owner's lock is held) if need be. */
  async appendable() {
    fs.mkdirSync(this.dir, { recursive: true });
    await this.holdOwner();
    const created = String(Date.now()).padStart(13, '0');
    const fileId = crypto.randomBytes(4).toString('hex');
    const file = {
      path: path.join(this.dir, `spool-${created}-${this.owner.id}-${fileId}.jsonl`),
      created,
      fileId,
      fd: null,
      size: 0,
      entries: new Map(),
      poisoned: false,
    };
    file.fd = fs.openSync(file.path, 'a');
    fsyncDirectory(this.dir);
    this.current = file;
    this.files.push(file);
    return file;
  }

  /**
   * Holds the owner's lock; from its return until the caller next awaits, nothing can let
   * go of it, so a file named for this owner is made only while the lock is held.
   */
  async holdOwner() {
    while (!this.owner.held) await this.owner.hold();
  }

  /** Reads a file taken over, setting aside the lines that cannot be entries. */
  read(target, { created, fileId }) {
    const content = fs.readFileSync(target, 'utf8');
    const { entries, unreadable } = parseLines(content);
    const file = { path: target, created, fileId, fd: fs.openSync(target, 'a'), size: 0, entries, poisoned: false };
    file.size = fs.fstatSync(file.fd).size;
    if (unreadable.length > 0) {
      const quarantine = path.join(this.dir, `quarantine-${created}-${fileId}.jsonl`);
      const fd = fs.openSync(quarantine, 'a');
      try {
        for (const line of unreadable) {
          writeFully(fd, Buffer.from(JSON.stringify({ file: path.basename(target), offset: line.offset, line: line.text }) + '\n'));
        }
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      if (!content.endsWith('\n') && content.length > 0) appendLine(file, '\n');
      for (const line of unreadable) appendLine(file, JSON.stringify({ quarantined: line.offset }) + '\n');
      this.logger.warn(`spawn-telemetry: ${unreadable.length} unreadable line(s) of ${target} set aside in ${quarantine}`);
    }
    file.quarantined = unreadable.length;
    return file;
  }

  insert(file) {
    this.files.push(file);
    this.files.sort((a, b) => a.created.localeCompare(b.created));
  }

  remove(file) {
    try {
      fs.closeSync(file.fd);
    } catch {
      // already closed
    }
    fs.rmSync(file.path, { force: true });
    this.files = this.files.filter((other) => other !== file);
    if (this.current === file) this.current = null;
    this.releaseIfIdle();
  }

  releaseIfIdle() {
    if (this.files.length === 0 && this.owner.held) this.owner.release();
  }
}

/** Entries not acked, in order, and the lines that are none of the three kinds. */
/** Entries not yet acked in a file another process owns; 0 for one that is gone by now. */
function countWaiting(file) {
  try {
    return parseLines(fs.readFileSync(file, 'utf8')).entries.size;
  } catch {
    return 0;
  }
}

function parseLines(content) {
  const entries = new Map();
  const acked = new Set();
  const quarantinedOffsets = new Set();
  const candidates = [];
  let offset = 0;
  for (const text of content.split('\n')) {
    const lineOffset = offset;
    offset += Buffer.byteLength(text) + 1;
    if (text.trim() === '') continue;
    let value;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    if (value && typeof value === 'object' && typeof value.ack === 'string') acked.add(value.ack);
    else if (value && typeof value === 'object' && Number.isInteger(value.quarantined)) quarantinedOffsets.add(value.quarantined);
    else candidates.push({ value, text, offset: lineOffset });
  }
  const unreadable = [];
  for (const { value, text, offset: lineOffset } of candidates) {
    if (quarantinedOffsets.has(lineOffset)) continue;
    if (isEntry(value)) {
      if (!acked.has(value.seq)) entries.set(value.seq, value);
    } else {
      unreadable.push({ text, offset: lineOffset });
    }
  }
  return { entries, unreadable };
}

function isEntry(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && typeof value.seq === 'string'
    && OPS.has(value.op) && typeof value.spawn_id === 'string' && value.spawn_id.length > 0
    && value.body !== null && typeof value.body === 'object' && !Array.isArray(value.body)
    && (value.op !== 'usage' || typeof value.key === 'string');
}

/**
 * Appends a line and fsyncs it; on any failure cuts the file back to where it was, so
 * that no partial line is left for the next one to be glued to; if even that fails, the
 * file takes no more lines.
 */
function appendLine(file, text) {
  if (file.poisoned) throw Object.assign(new Error('the spool file cannot be appended to'), { code: 'EIO' });
  const buffer = Buffer.from(text, 'utf8');
  try {
    writeFully(file.fd, buffer);
    fs.fsyncSync(file.fd);
    file.size += buffer.length;
  } catch (error) {
    try {
      fs.ftruncateSync(file.fd, file.size);
      fs.fsyncSync(file.fd);
    } catch {
      file.poisoned = true;
    }
    throw error;
  }
}

function writeFully(fd, buffer) {
  let written = 0;
  while (written < buffer.length) {
    const count = fs.writeSync(fd, buffer, written, buffer.length - written);
    if (count <= 0) throw Object.assign(new Error('no byte could be written'), { code: 'ENOSPC' });
    written += count;
  }
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function fsyncDirectory(dir) {
  let fd;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // not every platform can fsync a directory
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

module.exports = { Spool, parseLines };
