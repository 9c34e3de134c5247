// HAProxy (the distribution's package, installed by .ci/run) in front of test servers, with the configuration
// `npm run cluster` and docker-compose use (scripts/haproxy-config.mjs).
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
// @ts-expect-error: a plain ES module without types (scripts/ is not TypeScript)
import { haproxyConfig } from '../../../scripts/haproxy-config.mjs';

/** A port free right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export type Balancer = {
  url: string;
  output(): string;
  /** Waits until HAProxy has marked every instance up (its stats page). */
  allUp(ms?: number): Promise<void>;
  stop(): Promise<void>;
};

/** HAProxy on a free port in front of `ports` (127.0.0.1); resolves once it listens. */
export async function startBalancer(ports: number[]): Promise<Balancer> {
  const port = await freePort();
  const statsPort = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-haproxy-'));
  const cfg = path.join(dir, 'haproxy.cfg');
  const servers = ports.map((p, i) => ({ name: `parley${i + 1}`, address: `127.0.0.1:${p}` }));
  writeFileSync(cfg, haproxyConfig({ bind: `127.0.0.1:${port}`, servers, stats: `127.0.0.1:${statsPort}` }) as string);
  const child = spawn('haproxy', ['-W', '-db', '-f', cfg], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`haproxy exited:\n${output}`);
    const up = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (i > 100) throw new Error(`haproxy did not answer:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    output: () => output,
    allUp: async (ms = 15_000) => {
      const began = Date.now();
      for (;;) {
        const csv = await (await fetch(`http://127.0.0.1:${statsPort}/;csv`)).text();
        const states = csv
          .split('\n')
          .filter((l) => /^parley,parley\d/.test(l))
          .map((l) => l.split(',')[17]);
        if (states.length === ports.length && states.every((s) => s === 'UP')) return;
        if (Date.now() - began > ms) throw new Error(`instances not up: ${states.join(' ')}\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
