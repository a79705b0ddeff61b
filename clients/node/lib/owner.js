'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

/** Longest socket path that fits sockaddr_un on every platform Node runs on. */
const MAX_SOCKET_PATH = 100;

/**
 * Who owns a spool file, decided by a lock the operating system releases when its holder
 * dies: the owner listens on a Unix socket named for its random id; a process that finds
 * the socket refusing connections (or gone) knows the owner is dead, whatever PIDs the
 * processes have, in whichever PID namespace. Ids are random and never reused, so a
 * restarted container with the same PID is a new owner.
 */
class Owner {
  constructor(dir, id = crypto.randomBytes(6).toString('hex')) {
    this.dir = dir;
    this.id = id;
    this.server = null;
    this.listening = null;
  }

  /** Holds the lock; resolves once the socket listens. */
  hold() {
    if (!this.listening) {
      this.listening = new Promise((resolve, reject) => {
        const server = net.createServer((socket) => socket.destroy());
        server.on('error', (error) => {
          this.listening = null;
          this.server = null;
          reject(error);
        });
        const address = socketAddress(this.dir, this.id);
        if (!address.startsWith('\0')) fs.rmSync(address, { force: true });
        server.listen(address, () => {
          server.unref();
          this.server = server;
          resolve();
        });
      });
    }
    return this.listening;
  }

  /** Lets go of the lock (once it owns no file), removing the socket. */
  release() {
    const server = this.server;
    this.server = null;
    this.listening = null;
    if (server) server.close();
    const address = socketAddress(this.dir, this.id);
    if (!address.startsWith('\0')) fs.rmSync(address, { force: true });
  }

  get held() {
    return this.server !== null;
  }
}

/** Whether the owner of this id holds its lock: a connection to its socket is taken. */
function isAlive(dir, id) {
  return new Promise((resolve) => {
    const socket = net.connect(socketAddress(dir, id));
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', (error) => {
      socket.destroy();
      // refused: the socket is left by a dead process; gone: never held or let go of
      resolve(!(error.code === 'ECONNREFUSED' || error.code === 'ENOENT'));
    });
  });
}

/** Removes the socket a dead owner left behind. */
function removeDeadSocket(dir, id) {
  const address = socketAddress(dir, id);
  if (!address.startsWith('\0')) fs.rmSync(address, { force: true });
}

/**
 * The socket's path in the spool directory; where that path is too long for a socket,
 * a name in Linux's abstract namespace derived from the directory (which then decides
 * liveness only among processes of one network namespace).
 */
function socketAddress(dir, id) {
  const file = path.join(path.resolve(dir), `owner-${id}.sock`);
  if (file.length <= MAX_SOCKET_PATH || process.platform !== 'linux') return file;
  const digest = crypto.createHash('sha256').update(path.resolve(dir)).digest('hex').slice(0, 32);
  return `\0spawn-telemetry-${digest}-${id}`;
}

module.exports = { Owner, isAlive, removeDeadSocket };
