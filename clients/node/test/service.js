'use strict';

// The packaged service, started by the tests in a JVM of its own, as a spawner meets it.

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function packagedJar() {
  if (process.env.SPAWN_TELEMETRY_JAR) return process.env.SPAWN_TELEMETRY_JAR;
  const target = path.resolve(__dirname, '..', '..', '..', 'target');
  const jar = fs.existsSync(target)
    && fs.readdirSync(target).find((name) => /^spawn-telemetry-.*\.jar$/.test(name));
  if (!jar) throw new Error(`No packaged service in ${target}: run ./mvnw verify (or ./test.sh) first`);
  return path.join(target, jar);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Starts the service and answers once its health says UP; a slow machine gets minutes. */
async function startService({ dataDir = tempDir('spawn-telemetry-node-'), port, args = [] } = {}) {
  port = port || await freePort();
  const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const child = spawn(java, ['-Xmx256m', '-jar', packagedJar(), `--server.port=${port}`,
    `--telemetry.storage.dir=${dataDir}`, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (chunk) => { log += chunk; });
  child.stderr.on('data', (chunk) => { log += chunk; });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 3 * 60 * 1000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The service exited at start:\n${log}`);
    try {
      const response = await fetch(`${url}/actuator/health`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`The service did not become healthy in 3 minutes:\n${log}`);
    }
    await sleep(200);
  }
  return {
    url,
    port,
    dataDir,
    log: () => log,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      await exited;
    },
  };
}

/**
 * A TCP proxy in front of the service that loses the answers to the requests chosen:
 * the service receives and applies them, the client sees the connection dropped.
 */
async function lossyProxy(targetPort, losesAnswerTo) {
  const port = await freePort();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    let dropNextAnswer = false;
    client.on('data', (chunk) => {
      const requestLine = chunk.toString('latin1').split('\r\n', 1)[0];
      if (/^[A-Z]+ \S+ HTTP\/1\.1$/.test(requestLine)) dropNextAnswer = losesAnswerTo(requestLine);
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (dropNextAnswer) {
        client.destroy();
        upstream.destroy();
      } else {
        client.write(chunk);
      }
    });
    const close = () => { client.destroy(); upstream.destroy(); };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

module.exports = { startService, lossyProxy, freePort, tempDir, sleep };
