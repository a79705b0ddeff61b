'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { randomBytes } = require('node:crypto');

const PREFIX = 'spool-';
const SUFFIX = '.jsonl';

/**
 * Writes that could not be delivered yet, kept on disk until they are: append-only JSON
 * lines, each fsynced before the write is answered. Each process appends to a file of its
 * own, so spawners sharing the directory never write to the same file; a process takes
 * over the file of a process that has died, by renaming it, which only one can do.
 */
class Spool {
  constructor(dir) {
    this.dir = dir;
    this.file = path.join(dir, `${PREFIX}${process.pid}-${Date.now()}-${randomBytes(4).toString('hex')}${SUFFIX}`);
    this.queue = Promise.resolve();
  }

  /** Runs fn when no other spool operation of this process runs. */
  exclusive(fn) {
    const run = this.queue.then(fn, fn);
    this.queue = run.then(() => undefined, () => undefined);
    return run;
  }

  /** The writes waiting in this process's file, oldest first. */
  entries() {
    return readEntries(this.file);
  }

  hasPending() {
    try {
      return fs.statSync(this.file).size > 0;
    } catch (error) {
      if (error.code === 'ENOENT') return false;
      throw error;
    }
  }

  /** Appends writes and makes them durable before returning. */
  append(...entries) {
    fs.mkdirSync(this.dir, { recursive: true });
    const created = !fs.existsSync(this.file);
    const fd = fs.openSync(this.file, 'a');
    try {
      fs.writeSync(fd, entries.map((entry) => JSON.stringify(entry) + '\n').join(''));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    if (created) fsyncDirectory(this.dir);
  }

  /** Keeps only these writes, replacing the file atomically. */
  replace(entries) {
    if (entries.length === 0) {
      fs.rmSync(this.file, { force: true });
      return;
    }
    const temp = `${this.file}.tmp`;
    const fd = fs.openSync(temp, 'w');
    try {
      fs.writeSync(fd, entries.map((entry) => JSON.stringify(entry) + '\n').join(''));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, this.file);
    fsyncDirectory(this.dir);
  }

  /**
   * Takes over the spool files of processes that are no longer running: their writes are
   * appended to this process's file, in the order of the files' creation, and the files
   * removed. Answers how many writes were taken over.
   */
  adoptOrphans() {
    let names;
    try {
      names = fs.readdirSync(this.dir);
    } catch (error) {
      if (error.code === 'ENOENT') return 0;
      throw error;
    }
    const orphans = names
      .map((name) => ({ name, match: /^spool-(\d+)-(\d+)-[0-9a-f]+\.jsonl$/.exec(name) }))
      .filter(({ name, match }) => match && path.join(this.dir, name) !== this.file && !isAlive(Number(match[1])))
      .sort((a, b) => Number(a.match[2]) - Number(b.match[2]));
    let adopted = 0;
    for (const { name } of orphans) {
      const claimed = path.join(this.dir, `${name}.claimed-${process.pid}`);
      try {
        fs.renameSync(path.join(this.dir, name), claimed);
      } catch (error) {
        if (error.code === 'ENOENT') continue; // another process took it first
        throw error;
      }
      const entries = readEntries(claimed);
      if (entries.length > 0) this.append(...entries);
      fs.rmSync(claimed, { force: true });
      adopted += entries.length;
    }
    return adopted;
  }
}

function readEntries(file) {
  let content;
  try {
    content = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (error.code === 'ENOENT') return [];
    throw error;
  }
  const entries = [];
  for (const line of content.split('\n')) {
    if (line.trim() === '') continue;
    try {
      entries.push(JSON.parse(line));
    } catch {
      // a line cut short by a crash while it was appended: it was never acknowledged
    }
  }
  return entries;
}

function isAlive(pid) {
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

module.exports = { Spool };
