import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { API_ENTRY, REPO_ROOT, WEB_DIST_INDEX } from './paths';

export interface RunningServer {
  url: string;
  /** Everything the server printed (for failure reports). */
  output(): string;
  /** Stop the process but keep its database (simulates a server restart/outage). */
  halt(): Promise<void>;
  relaunch(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Runs one statement on the PostgreSQL server `adminUrl` names. */
async function onPostgres(adminUrl: string, query: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
}

/**
 * Starts the real API (`node --import tsx api/src/main.ts`) on a free port with
 * a fresh embedded database, and waits for GET /health to answer 200. `env`:
 * more configuration (e.g. TRUSTED_DOCUMENTS=only). `postgres`: a PostgreSQL
 * URL whose user may CREATE DATABASE (TEST_DATABASE_URL): the server gets a new
 * database there instead (dropped by `stop`), for what needs it (Web Push).
 */
export async function startServer({
  timeoutMs = 120_000, // a cold start (tsx, PGlite, migrations) on a loaded 2-core machine
  env: extraEnv = {},
  postgres,
}: { timeoutMs?: number; env?: Record<string, string>; postgres?: string } = {}): Promise<RunningServer> {
  if (!existsSync(API_ENTRY)) throw new Error(`API entry point not found: ${API_ENTRY}`);
  if (!existsSync(WEB_DIST_INDEX)) {
    throw new Error(`web/dist is not built (${WEB_DIST_INDEX}); run \`npm run ensure-build -w web\` first.`);
  }
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-e2e-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    // Every person in a story signs up from 127.0.0.1, and stories seed conversations through the API at full
    // speed: those limits are raised; the log-in limit stays as users get it.
    SIGNUPS_PER_IP: '1000',
    SENDS_PER_SECOND: '1000',
    SEND_BURST: '10000',
    ...extraEnv,
  };
  // The embedded database (or a new one on PostgreSQL), whatever the calling shell has configured.
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  delete env.WEB_DIST;
  const database = postgres ? `parley_e2e_${randomBytes(6).toString('hex')}` : null;
  if (database) {
    await onPostgres(postgres!, `CREATE DATABASE ${database}`);
    const url = new URL(postgres!);
    url.pathname = `/${database}`;
    env.DATABASE_URL = url.toString();
  }

  let output = '';
  let child: ChildProcess;
  let exited: number | null = null;
  const url = `http://127.0.0.1:${port}`;

  async function launch() {
    exited = null;
    child = spawn(process.execPath, ['--import', 'tsx', API_ENTRY], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    child.on('exit', (code) => (exited = code ?? -1));

    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (exited !== null) throw new Error(`API exited with code ${exited} before becoming healthy:\n${output}`);
      try {
        const res = await fetch(`${url}/health`);
        if (res.status === 200) return;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`API did not answer 200 on /health within ${timeoutMs} ms:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  async function halt() {
    if (exited !== null) return;
    const done = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await done;
    clearTimeout(timer);
  }

  await launch();

  return {
    url,
    output: () => output,
    halt,
    /** Start again on the same port and database (after `halt`). */
    relaunch: launch,
    async stop() {
      await halt();
      rmSync(dataDir, { recursive: true, force: true });
      if (database) await onPostgres(postgres!, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    },
  };
}
