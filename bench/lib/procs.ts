// Server processes under test: start (log to a file, wait for the listening line and /ready), CPU and memory from
// /proc, stop. Every process started here is remembered so a failing run can still kill it.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, openSync, closeSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { httpStatus } from './gql-http.ts';

export type ServerProc = {
  name: string;
  pid: number;
  url: string;
  /** ms from spawn to the listening line; to /ready 200 for parley. */
  startMs: number;
  readyMs: number;
  logFile: string;
  /** User + system CPU time of the process so far, in ms. */
  cpuMs(): number;
  /** Resident set size now, in KiB. */
  rssKb(): number;
  logTail(lines?: number): string;
  stop(): Promise<void>;
  exited: boolean;
};

const live = new Set<ServerProc>();

let tickMs = 10;
try {
  tickMs = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim() || 100);
} catch {
  /* 100 Hz is the Linux default */
}

export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields[0] is field 3 (state)
  return (Number(fields[11]) + Number(fields[12])) * tickMs; // utime + stime
}

/** The pids of a process's live descendants (from /proc: each process's parent). */
export function descendantsOf(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // ended meanwhile
    }
  }
  const found: number[] = [];
  for (let frontier = [pid]; frontier.length;) {
    const next = [...parentOf].filter(([, parent]) => frontier.includes(parent)).map(([child]) => child);
    found.push(...next);
    frontier = next;
  }
  return found;
}

/** CPU ms of a process and its live descendants (parley and its push worker process). */
export function cpuMsOfTree(pid: number): number {
  let total = cpuMsOf(pid);
  for (const child of descendantsOf(pid)) {
    try {
      total += cpuMsOf(child);
    } catch {
      // ended meanwhile
    }
  }
  return total;
}

export function rssKbOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

type StartOptions = {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  logFile: string;
  listening: RegExp;
  readyPath?: string;
  timeoutMs?: number;
};

async function startProcess(opts: StartOptions): Promise<ServerProc> {
  const fd = openSync(opts.logFile, 'w');
  const started = performance.now();
  let child: ChildProcess;
  try {
    child = spawn(opts.command, opts.args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd);
  }
  let exitCode: number | string | null = null;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitCode = code ?? signal;
      proc.exited = true;
      resolve();
    });
    // Could not be spawned at all (missing directory or binary): no 'exit' follows.
    child.once('error', (err) => {
      exitCode = err.message;
      proc.exited = true;
      resolve();
    });
  });
  const logTail = (lines = 20) => {
    try {
      return readFileSync(opts.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  };
  const proc: ServerProc = {
    name: opts.name,
    pid: child.pid!,
    url: '',
    startMs: NaN,
    readyMs: NaN,
    logFile: opts.logFile,
    exited: false,
    cpuMs: () => cpuMsOf(child.pid!),
    rssKb: () => rssKbOf(child.pid!),
    logTail,
    stop: async () => {
      if (!proc.exited) {
        child.kill('SIGTERM');
        const killed = await Promise.race([exit.then(() => true), sleep(15_000).then(() => false)]);
        if (!killed) {
          child.kill('SIGKILL');
          await exit;
        }
      }
      live.delete(proc);
    },
  };
  live.add(proc);

  const deadline = started + (opts.timeoutMs ?? 60_000);
  const fail = (why: string) => new Error(`${opts.name}: ${why}\n--- log (${opts.logFile}) ---\n${logTail()}`);
  while (!proc.url) {
    if (proc.exited) throw fail(`exited with ${exitCode} before listening`);
    if (performance.now() > deadline) throw fail('did not start in time');
    const m = opts.listening.exec(readFileSync(opts.logFile, 'utf8'));
    if (m) proc.url = m[1];
    else await sleep(5);
  }
  proc.startMs = performance.now() - started;
  if (opts.readyPath) {
    while ((await httpStatus(proc.url, opts.readyPath)) !== 200) {
      if (proc.exited) throw fail(`exited with ${exitCode} before ready`);
      if (performance.now() > deadline) throw fail(`${opts.readyPath} did not answer 200 in time`);
      await sleep(5);
    }
  }
  proc.readyMs = performance.now() - started;
  return proc;
}

/** Environment for a child: ours without variables that would change what the server under test does. */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue;
    if (/^(REDIS_URL|DATABASE_URL|PORT|HOST|DATA_DIR|JWT_SECRET|JWT_TTL|LOG_LEVEL|WEB_DIST|NODE_OPTIONS)$/.test(k))
      continue;
    env[k] = v;
  }
  return env;
}

export type ParleyOptions = {
  name?: string;
  parleyDir: string;
  /** PostgreSQL; without it parley runs on its embedded database (PGlite) in tmpDir. */
  databaseUrl?: string;
  jwtSecret: string;
  tmpDir: string;
  logFile: string;
  /** More environment (e.g. REDIS_URL, METRICS_TOKEN for the capacity run's instances). */
  env?: Record<string, string>;
};

/** BENCH_CPU_PROF_DIR: parley runs with V8's sampling profiler and writes a .cpuprofile there when it stops. */
const cpuProfileArgs = () => {
  const dir = process.env.BENCH_CPU_PROF_DIR;
  return dir ? ['--cpu-prof', '--cpu-prof-dir', dir] : [];
};

/** parley as its users run it: `node api/dist/main.js` when built, else `node --import tsx api/src/main.ts`. */
export function startParley(o: ParleyOptions): Promise<ServerProc> {
  const apiDir = path.join(o.parleyDir, 'api');
  const built = existsSync(path.join(apiDir, 'dist', 'main.js'));
  return startProcess({
    name: o.name ?? 'parley',
    command: process.execPath,
    args: [...cpuProfileArgs(), ...(built ? ['dist/main.js'] : ['--import', 'tsx', 'src/main.ts'])],
    cwd: apiDir,
    env: {
      ...baseEnv(),
      PORT: '0',
      HOST: '127.0.0.1',
      ...(o.databaseUrl ? { DATABASE_URL: o.databaseUrl } : {}),
      DATA_DIR: path.join(o.tmpDir, 'parley-data'),
      // info (the default in production): the listening line is logged at info. Output goes to a file.
      LOG_LEVEL: 'info',
      JWT_SECRET: o.jwtSecret,
      WEB_DIST: path.join(o.tmpDir, 'no-web-dist'),
      // The bench measures the work, not the limits a public server puts on one user.
      RATE_LIMITS: 'off',
      MAX_SOCKETS_PER_USER: '100000',
      ...o.env,
    },
    logFile: o.logFile,
    listening: /parley listening on (http:\/\/127\.0\.0\.1:\d+)/,
    readyPath: '/ready',
  });
}

export function startThin(o: { databaseUrl: string; jwtSecret: string; logFile: string; benchDir: string }) {
  return startProcess({
    name: 'thin',
    command: process.execPath,
    args: ['--import', 'tsx', path.join(o.benchDir, 'thin-server.ts')],
    cwd: path.dirname(o.benchDir),
    env: { ...baseEnv(), PORT: '0', HOST: '127.0.0.1', DATABASE_URL: o.databaseUrl, JWT_SECRET: o.jwtSecret },
    logFile: o.logFile,
    listening: /thin listening on (http:\/\/127\.0\.0\.1:\d+)/,
  });
}

export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((p) => p.stop().catch(() => {})));
}

/** Synchronous last resort (process 'exit'): SIGKILL whatever is still running. */
export function killAllNow() {
  for (const p of live) {
    try {
      if (!p.exited) process.kill(p.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}
