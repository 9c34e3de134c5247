// Starts a real parley server for a test — in this process (port 0) or as a child process — and talks to it
// over HTTP and graphql-ws like any client would.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import type { TestDatabase } from './databases.ts';

export type GqlResult<T = any> = { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };

export type TestServer = {
  url: string;
  close(): Promise<void>;
};

const API_DIR = fileURLToPath(new URL('../../', import.meta.url));

function envFor(db: TestDatabase, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: db.dataDir,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    WEB_DIST: path.join(db.dataDir, 'no-web-build'),
    // Suites that send in bursts test delivery, not throttling; the security suite turns it on.
    RATE_LIMITS: 'off',
    ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : {}),
    ...extra,
  };
}

/** The server in this process. */
export async function startServer(db: TestDatabase, extraEnv: Record<string, string> = {}): Promise<TestServer> {
  const config = loadConfig(envFor(db, extraEnv));
  const app = await startApp(config, createLogger(config.logLevel));
  return { url: app.url, close: () => app.close() };
}

export type ServerProcess = TestServer & {
  child: ChildProcess;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
  /** Everything the process printed so far (its pino log). */
  output(): string;
};

/** The server as a separate `node` process (for restarts and crashes), run as `npm start` runs it: the build in
 * dist/ (made by global-setup.ts). Resolves once it listens. */
export async function spawnServer(db: TestDatabase, extraEnv: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [path.join(API_DIR, 'dist/main.js')], {
    cwd: API_DIR,
    env: { ...process.env, NODE_OPTIONS: '', ...envFor(db, { LOG_LEVEL: 'info', ...extraEnv }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /parley listening on (http:\/\/[^\s"]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1].replace(/\s.*$/, ''));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  const kill = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  return { url, child, kill, output: () => output, close: async () => void (await kill()) };
}

export async function gql<T = any>(
  server: { url: string },
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GqlResult<T>> {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as GqlResult<T>;
}

/** Data of a successful operation; throws with the errors otherwise. */
export async function ok<T = any>(...args: Parameters<typeof gql>): Promise<T> {
  const result = await gql<T>(...args);
  if (result.errors?.length || !result.data) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
  return result.data;
}

export type TestUser = { id: string; username: string; token: string };

export async function signUp(server: { url: string }, prefix = 'user'): Promise<TestUser> {
  const username = `${prefix}_${randomBytes(4).toString('hex')}`;
  const data = await ok(
    server,
    `mutation($u: String!) { signUp(username: $u, password: "correct horse") { token user { id username } } }`,
    { u: username },
  );
  return { id: data.signUp.user.id, username, token: data.signUp.token };
}

export function wsClient(
  server: { url: string },
  token?: string,
  options: Partial<Parameters<typeof createClient>[0]> = {},
): Client {
  return createClient({
    url: server.url.replace(/^http/, 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => {}, // tests assert on the 'closed' event instead
    ...options,
  });
}

/** Collects the events of one subscription until stopped. `ready` resolves once the server acknowledged it. */
export function collect<T = any>(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
  extensions?: Record<string, unknown>,
) {
  const events: GqlResult<T>[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let error: unknown;
  let completed = false;
  const dispose = client.subscribe<T>(
    { query, variables, ...(extensions ? { extensions } : {}) },
    {
      next: (value) => {
        events.push(value as GqlResult<T>);
        for (const w of [...waiters]) if (events.length >= w.count) w.resolve();
      },
      error: (err) => {
        error = err;
        for (const w of waiters) w.resolve();
      },
      complete: () => {
        completed = true;
      },
    },
  );
  return {
    events,
    get error() {
      return error;
    },
    /** True once the server ended the subscription (or it was disposed). */
    get completed() {
      return completed;
    },
    /** Waits until at least `count` events arrived (or the subscription failed), up to `ms`. */
    waitFor(count: number, ms = 10_000): Promise<GqlResult<T>[]> {
      if (events.length >= count || error) return Promise.resolve(events);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`got ${events.length} of ${count} events`)), ms);
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve(events);
          },
        });
      });
    },
    dispose,
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** /ready's answer once it is 200 (a server listens before its Redis connection is up), or the last answer when it
 * is not ready within `withinMs`. */
export async function untilReady(server: { url: string }, withinMs = 10_000): Promise<{ status: number; body: any }> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const res = await fetch(`${server.url}/ready`);
    const answer = { status: res.status, body: await res.json() };
    if (answer.status === 200 || Date.now() > deadline) return answer;
    await sleep(50);
  }
}

/** Resolves once the socket is open and acknowledged, plus a moment for the server to register subscriptions. */
export function connected(client: Client, settleMs = 300): Promise<void> {
  return new Promise((resolve, reject) => {
    const offOk = client.on('connected', () => {
      offOk();
      offErr();
      setTimeout(resolve, settleMs);
    });
    const offErr = client.on('closed', (event) => {
      offOk();
      offErr();
      reject(Object.assign(new Error(`socket closed: ${(event as { code?: number }).code}`), { event }));
    });
  });
}
