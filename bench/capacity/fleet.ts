// The capacity run's moving parts: the load-generator processes (capacity/worker.ts, several so the client side
// is not one event loop), HAProxy in front of parley instances (scripts/haproxy-config.mjs, as `npm run cluster`
// and the failover test run it), each instance's /metrics, and users with tokens minted in bulk.
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeJwt, SignJWT } from 'jose';
import type pg from 'pg';
// @ts-expect-error: a plain ES module without types (scripts/ is not TypeScript)
import { haproxyConfig } from '../../scripts/haproxy-config.mjs';
import { cpuMsOf } from '../lib/procs.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));

export type Worker = { pid: number; call<T = any>(cmd: string, args?: unknown): Promise<T>; cpuMs(): number };

export async function startWorker(): Promise<Worker & { close(): void }> {
  const child: ChildProcess = fork(path.join(HERE, 'worker.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  child.on('message', (m: { id: number; ok: boolean; result?: unknown; error?: string }) => {
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.ok) p?.resolve(m.result);
    else p?.reject(new Error(`capacity worker: ${m.error}`));
  });
  child.on('exit', (code) => {
    for (const p of pending.values()) p.reject(new Error(`capacity worker exited (${code})`));
    pending.clear();
  });
  const call = (cmd: string, args?: unknown) =>
    new Promise<any>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ id, cmd, args });
    });
  await new Promise((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  return {
    pid: child.pid!,
    call,
    cpuMs: () => cpuMsOf(child.pid!),
    close: () => {
      if (child.connected) child.disconnect();
      setTimeout(() => child.kill('SIGKILL'), 3_000).unref();
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** HAProxy in front of `urls`, configured as production runs it; resolves when every instance is UP. */
export async function startHaproxy(urls: string[], dir: string, maxconn: number) {
  const [port, statsPort] = [await freePort(), await freePort()];
  const cfg = path.join(dir, 'haproxy.cfg');
  const servers = urls.map((u, i) => ({ name: `parley${i + 1}`, address: new URL(u).host }));
  writeFileSync(
    cfg,
    haproxyConfig({ bind: `127.0.0.1:${port}`, stats: `127.0.0.1:${statsPort}`, servers, maxconn }) as string,
  );
  const child = spawn('haproxy', ['-W', '-db', '-f', cfg], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-20_000)));
  child.stderr!.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const began = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`haproxy exited:\n${output}`);
    const csv = await fetch(`http://127.0.0.1:${statsPort}/;csv`).then(
      (r) => r.text(),
      () => '',
    );
    const states = csv
      .split('\n')
      .filter((l) => /^parley,parley\d/.test(l))
      .map((l) => l.split(',')[17]);
    if (states.length === urls.length && states.every((st) => st === 'UP')) break;
    if (Date.now() - began > 30_000) throw new Error(`instances not UP behind haproxy: ${states}\n${output}`);
    await sleep(200);
  }
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await Promise.race([exited, sleep(5_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** A few series of an instance's /metrics (prom-client's text format). */
export async function scrape(url: string, token: string) {
  const text = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } }).then(
    (r) => r.text(),
    () => '',
  );
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return {
    sockets: value('parley_websockets_open'),
    loopLagP99Ms: value('parley_nodejs_eventloop_lag_p99_seconds') * 1000,
  };
}

/**
 * Tokens for `userIds`, modelled on a real token parley issued (same header, issuer, claims), one session row each
 * (inserted in one statement: thousands of users).
 */
export async function mintTokens(db: pg.Client, sample: string, secret: string, userIds: string[]) {
  const claims = decodeJwt(sample);
  const { sub: _s, iat: _i, exp: _e, nbf: _n, jti: _j, sid, ...rest } = claims;
  const sessions = new Map<string, string>();
  if (sid) {
    const { rows } = await db.query<{ id: string; userId: string }>(
      `INSERT INTO "Session" ("id", "userId", "expiresAt")
       SELECT gen_random_uuid(), u, now() + interval '6 hours' FROM unnest($1::uuid[]) u RETURNING "id", "userId"`,
      [userIds],
    );
    for (const r of rows) sessions.set(r.userId, r.id);
  }
  const key = new TextEncoder().encode(secret);
  return Promise.all(
    userIds.map((id) => {
      let jwt = new SignJWT(sid ? { ...rest, sid: sessions.get(id) } : rest)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(id)
        .setIssuedAt()
        .setExpirationTime('6h');
      if (claims.iss) jwt = jwt.setIssuer(claims.iss);
      return jwt.sign(key);
    }),
  );
}
