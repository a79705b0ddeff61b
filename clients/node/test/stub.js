'use strict';

// A stand-in for the service on node:http, for the client's tests that need no jar: it
// keeps spawns as the service does (201 new, 200 retry, 404 for the outcome of an unknown
// spawn) and can be told to answer otherwise: a status, a hang, a reset.

const http = require('node:http');

async function startStub() {
  const stub = {
    requests: [],
    spawns: new Map(),
    outcomes: new Map(),
    usageKeys: new Set(),
    tokens: 0,
    /**
     * (request) => undefined (behave as the service) | { status, headers, body } | 'hang' | 'reset'
     * | { delayMs } (behave as the service, that much later)
     */
    behaviour: () => undefined,
  };
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body = null;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        body = null;
      }
      const seen = { method: request.method, url: request.url, headers: request.headers, body, at: Date.now() };
      stub.requests.push(seen);
      const special = stub.behaviour(seen);
      if (special === 'hang') return;
      if (special === 'reset') {
        request.socket.destroy();
        return;
      }
      const respond = () => {
        const answer = (special && special.status) ? special : serve(stub, seen);
        response.writeHead(answer.status, { 'Content-Type': 'application/json', ...(answer.headers || {}) });
        response.end(JSON.stringify(answer.body ?? {}));
      };
      if (special && special.delayMs) setTimeout(respond, special.delayMs);
      else respond();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.url = `http://127.0.0.1:${server.address().port}`;
  stub.close = () => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  stub.received = (op) => stub.requests.filter((seen) => opOf(seen) === op);
  return stub;
}

function opOf({ method, url }) {
  if (method === 'POST' && url === '/spawns') return 'spawn';
  if (method === 'PUT' && url.endsWith('/outcome')) return 'outcome';
  if (method === 'POST' && url.endsWith('/usage')) return 'usage';
  return 'other';
}

function serve(stub, { method, url, headers, body }) {
  const op = opOf({ method, url });
  if (op === 'spawn') {
    const known = stub.spawns.has(body.spawn_id);
    if (!known) stub.spawns.set(body.spawn_id, body);
    return { status: known ? 200 : 201, body: { spawn_id: body.spawn_id } };
  }
  const spawnId = decodeURIComponent(url.split('/')[2]);
  if (!stub.spawns.has(spawnId)) return { status: 404, body: { detail: `No spawn ${spawnId} is recorded` } };
  if (op === 'outcome') {
    stub.outcomes.set(spawnId, body.outcome);
    return { status: 200, body: { spawn_id: spawnId } };
  }
  if (op === 'usage') {
    const key = `${spawnId} ${headers['idempotency-key']}`;
    if (!stub.usageKeys.has(key)) {
      stub.usageKeys.add(key);
      stub.tokens += body.tokens || 0;
    }
    return { status: 200, body: { spawn_id: spawnId } };
  }
  return { status: 404, body: { detail: 'no such resource' } };
}

module.exports = { startStub };
