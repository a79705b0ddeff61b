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
      this.listening = (async () => {
        let failure;
        for (const address of socketAddresses(this.dir, this.id)) {
          try {
            this.server = await listen(address);
            this.address = address;
            return;
          } catch (error) {
            // a file system that cannot hold a socket: the abstract name, if there is one
            failure = error;
          }
        }
        this.listening = null;
        throw failure;
      })();
    }
    return this.listening;
  }

  /** Lets go of the lock (once it owns no file), removing the socket. */
  release() {
    const server = this.server;
    this.server = null;
    this.listening = null;
    if (server) server.close();
    if (this.address && !this.address.startsWith('\0')) fs.rmSync(this.address, { force: true });
  }

  get held() {
    return this.server !== null;
  }
}

function listen(address) {
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => socket.destroy());
    server.once('error', reject);
    server.listen(address, () => {
      server.unref();
      resolve(server);
    });
  });
}

/** Whether the owner of this id holds its lock: a connection to one of its sockets is taken. */
async function isAlive(dir, id) {
  for (const address of socketAddresses(dir, id)) {
    if (await answers(address)) return true;
  }
  return false;
}

function answers(address) {
  return new Promise((resolve) => {
    const socket = net.connect(address);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', (/** @type {NodeJS.ErrnoException} */ error) => {
      socket.destroy();
      // refused: the socket is left by a dead process; gone: never held or let go of
      resolve(!(error.code === 'ECONNREFUSED' || error.code === 'ENOENT'));
    });
  });
}

/** Removes the socket a dead owner left behind. */
function removeDeadSocket(dir, id) {
  for (const address of socketAddresses(dir, id)) {
    if (!address.startsWith('\0')) fs.rmSync(address, { force: true });
  }
}

/**
 * Where an owner may listen, first choice first: a socket in the spool directory; on
 * Linux, else (a path too long for a socket, a file system that cannot hold one) a name in
 * the abstract namespace derived from the directory, which decides liveness only among
 * processes of one network namespace.
 */
function socketAddresses(dir, id) {
  const file = path.join(path.resolve(dir), `owner-${id}.sock`);
  const addresses = file.length <= MAX_SOCKET_PATH ? [file] : [];
  if (process.platform === 'linux') {
    const digest = crypto.createHash('sha256').update(path.resolve(dir)).digest('hex').slice(0, 32);
    addresses.push(`\0spawn-telemetry-${digest}-${id}`);
  }
  return addresses.length > 0 ? addresses : [file];
}

module.exports = { Owner, isAlive, removeDeadSocket };
