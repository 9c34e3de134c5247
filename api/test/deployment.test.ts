// docker-compose.yml and the Dockerfile cannot be run here (no Docker engine): check them statically.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../src/config.ts';
import { ROOT_DIR } from '../src/paths.ts';

const read = (f: string) => readFile(path.join(ROOT_DIR, f), 'utf8');

test('docker-compose.yml runs parley on PostgreSQL and Redis with a valid configuration', async () => {
  const compose = parse(await read('docker-compose.yml'));
  expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['postgres', 'redis', 'parley']));
  const app = compose.services.parley;
  expect(app.build).toBe('.');
  expect(app.ports).toContain('4000:4000');
  expect(app.depends_on.postgres.condition).toBe('service_healthy');
  expect(app.depends_on.redis.condition).toBe('service_healthy');
  expect(compose.services.postgres.healthcheck.test.join(' ')).toContain('pg_isready');
  expect(compose.services.redis.healthcheck.test.join(' ')).toContain('redis-cli ping');
  expect(app.environment.REDIS_URL).toBe('redis://redis:6379');
  // Every service the app's URLs point at exists, and the environment passes our own validation.
  const env = { ...app.environment, JWT_SECRET: 'x'.repeat(48) };
  for (const key of ['DATABASE_URL', 'REDIS_URL']) {
    if (!env[key]) continue;
    expect(Object.keys(compose.services)).toContain(new URL(env[key]).hostname);
  }
  expect(() => loadConfig(env)).not.toThrow();
  const pg = compose.services.postgres.environment;
  expect(env.DATABASE_URL).toBe(
    `postgresql://${pg.POSTGRES_USER}:${pg.POSTGRES_PASSWORD}@postgres:5432/${pg.POSTGRES_DB}`,
  );
});

test('the Dockerfile copies what postinstall needs before npm ci, builds the web app and the API, and runs the build', async () => {
  const lines = (await read('Dockerfile')).split('\n');
  const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
  expect(at(/^COPY prisma prisma/)).toBeGreaterThan(-1);
  expect(at(/^COPY scripts scripts/)).toBeLessThan(at(/^RUN npm ci/));
  expect(at(/^COPY prisma prisma/)).toBeLessThan(at(/^RUN npm ci/));
  expect(at(/^RUN npm run build/)).toBeGreaterThan(at(/^COPY \. \./));
  // The built server as PID 1, so SIGTERM reaches it (what `npm start` runs once everything is built).
  expect(lines.some((l) => /^CMD \["node", "api\/dist\/main\.js"\]/.test(l))).toBe(true);
  const pkg = JSON.parse(await read('package.json'));
  expect(pkg.scripts.start).toBeDefined();
  expect(pkg.scripts.build).toMatch(/npm run build -w web/);
  expect(pkg.scripts.build).toMatch(/npm run build -w api/);
  const api = JSON.parse(await read('api/package.json'));
  expect(api.scripts.build).toBe('node scripts/build.mjs');
});
