// /health: the process is up. /ready: it can serve — database reachable with every migration applied, Redis
// connected when configured, and not shutting down. Load balancers route by /ready.
import type { IncomingMessage, ServerResponse } from 'node:http';

export type ReadinessProbe = {
  database(): Promise<void>;
  pendingMigrations(): Promise<string[]>;
  redis?: () => boolean;
  shuttingDown(): boolean;
};

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

export function health(_req: IncomingMessage, res: ServerResponse) {
  json(res, 200, { status: 'ok' });
}

export async function ready(probe: ReadinessProbe, res: ServerResponse) {
  const checks: Record<string, string> = {};
  if (probe.shuttingDown()) checks.server = 'shutting down';
  const timeout = (ms: number) =>
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out')), ms).unref());
  try {
    await Promise.race([probe.database(), timeout(2_000)]);
    const pending = await Promise.race([probe.pendingMigrations(), timeout(2_000)]);
    checks.database = pending.length ? `pending migrations: ${pending.join(', ')}` : 'ok';
  } catch (err) {
    checks.database = `unreachable: ${(err as Error).message.split('\n')[0].slice(0, 200)}`;
  }
  if (probe.redis) checks.redis = probe.redis() ? 'ok' : 'disconnected';
  const ok = !probe.shuttingDown() && Object.values(checks).every((v) => v === 'ok');
  json(res, ok ? 200 : 503, { status: ok ? 'ready' : 'unavailable', checks });
}
