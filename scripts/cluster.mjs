#!/usr/bin/env node
// `npm run cluster [-- --instances 3 --port 8080 --base-port 4001]`: parley as production runs it, without Docker —
// HAProxy (the distribution's package: `apt-get install haproxy`) in front of N instances on this machine's
// PostgreSQL (DATABASE_URL) and Redis (REDIS_URL). Ctrl-C stops them all: the instances drain (SIGTERM), then the
// balancer stops. Each instance also serves /metrics on METRICS_PORT = its port + 1000 (deploy/prometheus.yml).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { haproxyConfig } from './haproxy-config.mjs';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const { values } = parseArgs({
  options: {
    instances: { type: 'string', default: '3' },
    port: { type: 'string', default: '8080' },
    'base-port': { type: 'string', default: '4001' },
  },
});
const instances = Number(values.instances);
const basePort = Number(values['base-port']);

const env = { ...process.env, TRUST_PROXY: 'true' };
if (!env.DATABASE_URL) {
  console.error('DATABASE_URL is required (the PostgreSQL every instance shares), e.g.');
  console.error('  DATABASE_URL=postgresql://postgres@127.0.0.1:5432/parley npm run cluster');
  process.exit(2);
}
env.REDIS_URL ||= 'redis://127.0.0.1:6379';
// One secret for all: a token signed by one instance is checked by another.
env.JWT_SECRET ||= randomBytes(48).toString('base64');

const haproxy = spawnSync('haproxy', ['-v'], { encoding: 'utf8' });
if (haproxy.error) {
  console.error('haproxy is not installed: apt-get install -y haproxy (or your distribution’s package)');
  process.exit(2);
}

// The build `npm start` runs (made if missing or stale).
const build = spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale'], {
  cwd: path.join(ROOT, 'api'),
  stdio: 'inherit',
});
if (build.status !== 0) process.exit(build.status ?? 1);

const children = [];
const ports = Array.from({ length: instances }, (_, i) => basePort + i);
for (const [i, port] of ports.entries()) {
  const child = spawn(process.execPath, [path.join(ROOT, 'api/dist/main.js')], {
    cwd: path.join(ROOT, 'api'),
    env: { ...env, PORT: String(port), HOST: '127.0.0.1', METRICS_PORT: String(port + 1000) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.once('exit', (code, signal) => console.error(`instance ${i + 1} (port ${port}) exited: ${signal ?? code}`));
  children.push(child);
}

const dir = mkdtempSync(path.join(tmpdir(), 'parley-cluster-'));
const cfg = path.join(dir, 'haproxy.cfg');
writeFileSync(
  cfg,
  haproxyConfig({
    bind: `0.0.0.0:${values.port}`,
    stats: `127.0.0.1:${Number(values.port) + 404}`,
    servers: ports.map((port, i) => ({ name: `parley${i + 1}`, address: `127.0.0.1:${port}` })),
  }),
);
// -db: foreground, no daemon; -W: master-worker (a SIGTERM stops the worker cleanly).
const balancer = spawn('haproxy', ['-W', '-db', '-f', cfg], { stdio: ['ignore', 'inherit', 'inherit'] });
children.push(balancer);
console.error(
  `parley cluster: http://localhost:${values.port} → ${ports.map((p) => `:${p}`).join(' ')} ` +
    `(HAProxy stats at http://127.0.0.1:${Number(values.port) + 404}/). Ctrl-C stops it.`,
);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  const exited = (child) =>
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise((resolve) => child.once('exit', resolve));
  // Instances first (they drain and ask their clients to reconnect), the balancer last.
  const apps = children.filter((c) => c !== balancer);
  for (const child of apps) child.kill('SIGTERM');
  await Promise.race([Promise.all(apps.map(exited)), new Promise((r) => setTimeout(r, 15_000))]);
  for (const child of apps) child.kill('SIGKILL');
  balancer.kill('SIGTERM');
  await exited(balancer);
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
balancer.once('exit', (code) => {
  if (!stopping) {
    console.error(`haproxy exited (${code}): stopping the instances`);
    void stop();
  }
});
