// docker-compose.yml, the Dockerfile and deploy/ cannot be run here (no Docker engine): check them statically.
// HAProxy's configuration is checked by HAProxy itself (`haproxy -c`; .ci/run installs it).
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../src/config.ts';
import { registry } from '../src/metrics/registry.ts';
import { ROOT_DIR } from '../src/paths.ts';
// @ts-expect-error: a plain ES module without types (scripts/ is not TypeScript)
import { haproxyConfig } from '../../scripts/haproxy-config.mjs';

const read = (f: string) => readFile(path.join(ROOT_DIR, f), 'utf8');
const REPLICAS = ['parley1', 'parley2', 'parley3'];

test('docker-compose.yml runs three parley replicas behind HAProxy, on PostgreSQL and Redis, with a valid configuration', async () => {
  const compose = parse(await read('docker-compose.yml'), { merge: true });
  expect(Object.keys(compose.services)).toEqual(
    expect.arrayContaining(['postgres', 'redis', 'haproxy', 'prometheus', 'grafana', ...REPLICAS]),
  );
  expect(compose.services.postgres.healthcheck.test.join(' ')).toContain('pg_isready');
  expect(compose.services.redis.healthcheck.test.join(' ')).toContain('redis-cli ping');
  const pg = compose.services.postgres.environment;
  for (const name of REPLICAS) {
    const app = compose.services[name];
    expect(app.build).toBe('.');
    expect(app.ports).toBeUndefined(); // reached through the balancer only
    expect(app.depends_on.postgres.condition).toBe('service_healthy');
    expect(app.depends_on.redis.condition).toBe('service_healthy');
    expect(app.environment.TRUST_PROXY).toBe('true');
    const env = { ...app.environment, JWT_SECRET: 'x'.repeat(48) };
    for (const key of ['DATABASE_URL', 'REDIS_URL']) {
      expect(Object.keys(compose.services)).toContain(new URL(env[key]).hostname);
    }
    expect(() => loadConfig(env)).not.toThrow();
    expect(loadConfig(env).metrics.port).toBe(9100);
    expect(env.DATABASE_URL).toBe(
      `postgresql://${pg.POSTGRES_USER}:${pg.POSTGRES_PASSWORD}@postgres:5432/${pg.POSTGRES_DB}`,
    );
  }
  const lb = compose.services.haproxy;
  expect(lb.ports).toEqual(['8080:8080']);
  expect(lb.volumes).toContain('./deploy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro');
  expect(lb.depends_on).toEqual(REPLICAS);
  // Prometheus and Grafana only with --profile monitoring; Prometheus scrapes every replica's METRICS_PORT.
  expect(compose.services.prometheus.profiles).toEqual(['monitoring']);
  expect(compose.services.grafana.profiles).toEqual(['monitoring']);
  const prometheus = parse(await read('deploy/prometheus.yml'));
  expect(prometheus.scrape_configs[0].static_configs[0].targets).toEqual(REPLICAS.map((r) => `${r}:9100`));
});

test('deploy/haproxy.cfg is what scripts/haproxy-config.mjs writes for the replicas, and HAProxy accepts it', async () => {
  const cfg = await read('deploy/haproxy.cfg');
  expect(cfg).toBe(
    haproxyConfig({
      bind: ':8080',
      stats: ':8404',
      docker: true,
      maxconn: 30000,
      servers: REPLICAS.map((name) => ({ name, address: `${name}:4000` })),
    }),
  );
  expect(cfg).toMatch(/option httpchk GET \/ready/);
  expect(cfg).toMatch(/timeout tunnel 1h/); // WebSockets and SSE
  expect(cfg).toMatch(/X-Request-Id %\[unique-id\]/);
  const check = spawnSync('haproxy', ['-c', '-f', path.join(ROOT_DIR, 'deploy/haproxy.cfg')], { encoding: 'utf8' });
  expect(check.error).toBeUndefined(); // installed (.ci/run)
  expect(check.stdout + check.stderr).toMatch(/Configuration file is valid/);
});

test('the Grafana dashboard graphs only series parley exports', async () => {
  const dashboard = JSON.parse(await read('deploy/grafana/dashboards/parley.json'));
  const exported = new Set((await registry.getMetricsAsJSON()).map((m) => m.name));
  const used = dashboard.panels.flatMap((p: any) => p.targets.map((t: any) => t.expr as string));
  expect(used.length).toBeGreaterThan(10);
  for (const expr of used) {
    for (const name of expr.match(/parley_[a-z_0-9]+/g) ?? []) {
      expect(exported).toContain(name.replace(/_(bucket|sum|count)$/, ''));
    }
  }
});

test('the Dockerfile builds in stages and runs the build alone, without sources or dev dependencies, as non-root', async () => {
  const text = await read('Dockerfile');
  const stages = text.split(/^(?=FROM )/m).filter((s) => s.startsWith('FROM '));
  const named = (name: string) => stages.find((s) => new RegExp(`^FROM \\S+ AS ${name}$`, 'm').test(s))!;
  const [build, deps, runtime] = ['build', 'deps', 'runtime'].map(named);
  expect(stages.at(-1)).toBe(runtime);
  // build: postinstall's inputs before npm ci, then the sources, then the build.
  const at = (stage: string, re: RegExp) => stage.split('\n').findIndex((l) => re.test(l));
  expect(at(build, /^COPY scripts scripts/)).toBeLessThan(at(build, /^RUN npm ci/));
  expect(at(build, /^COPY prisma prisma/)).toBeLessThan(at(build, /^RUN npm ci/));
  expect(at(build, /^RUN npm run build/)).toBeGreaterThan(at(build, /^COPY \. \./));
  expect(deps).toMatch(/npm ci --omit=dev/);
  // runtime: only what runs, from the other stages; no sources, no install, an unprivileged user.
  expect(runtime).not.toMatch(/^COPY \. /m);
  expect(runtime).not.toMatch(/^RUN npm/m);
  for (const line of runtime.split('\n').filter((l) => l.startsWith('COPY ')))
    expect(line).toMatch(/--from=(deps|build)/);
  expect(runtime).toMatch(/^COPY --from=build \/app\/api\/dist api\/dist$/m);
  expect(runtime).toMatch(/^USER node$/m);
  expect(at(runtime, /^USER node$/)).toBeLessThan(at(runtime, /^CMD /));
  // The built server as PID 1, so SIGTERM reaches it (what `npm start` runs once everything is built).
  expect(runtime).toMatch(/^CMD \["node", "api\/dist\/main\.js"\]$/m);
  const pkg = JSON.parse(await read('package.json'));
  expect(pkg.scripts.build).toMatch(/npm run build -w web/);
  expect(pkg.scripts.build).toMatch(/npm run build -w api/);
  expect(pkg.scripts.cluster).toBe('node scripts/cluster.mjs');
});
