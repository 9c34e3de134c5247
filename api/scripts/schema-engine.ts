// Prisma's schema engine compiled to WebAssembly (@prisma/schema-engine-wasm), loaded by hand so that migrations
// can be diffed without the native binary the Prisma CLI wants to download (docs/operations.md, "Database and migrations", says how it is used).
// Used by the db:migrate script and the drift test only (so it lives with the scripts); the server applies
// migrations with src/db/migrator.ts.
import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { embeddedExtensions } from '../src/db/extensions.ts';

const require = createRequire(import.meta.url);

type Engine = {
  diff(params: unknown): Promise<{ exitCode: number; stdout: string | null }>;
  free(): void;
};

// Node 20 cannot `import` a .wasm module, which is how the package's entry loads it: instantiate the bytes with the
// package's JS glue as the import object instead. Done once per process.
let glue: Promise<{ SchemaEngine: { new: (...args: unknown[]) => Promise<Engine> } }> | undefined;
function loadGlue() {
  glue ??= (async () => {
    const bgPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bg = await import(bgPath);
    const bytes = await readFile(path.join(path.dirname(bgPath), 'schema_engine_bg.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': bg });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
    return bg;
  })();
  return glue;
}

export type MigrationsFolder = {
  baseDir: string;
  migrationDirectories: unknown[];
  lockfile: unknown;
  shadowDbInitScript: string;
};

export async function readMigrationsFolder(baseDir: string): Promise<MigrationsFolder> {
  const entries = await readdir(baseDir, { withFileTypes: true }).catch(() => []);
  const dirs = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const migrationDirectories = await Promise.all(
    dirs.map(async (dir) => ({
      path: dir,
      migrationFile: {
        path: 'migration.sql',
        content: await readFile(path.join(baseDir, dir, 'migration.sql'), 'utf8').then(
          (ok) => ({ tag: 'ok', value: ok }),
          (err: Error) => ({ tag: 'error', value: String(err.message) }),
        ),
      },
    })),
  );
  const lockPath = path.join(baseDir, 'migration_lock.toml');
  const lockContent = await readFile(lockPath, 'utf8').catch(() => null);
  return {
    baseDir,
    lockfile: { path: 'migration_lock.toml', content: lockContent },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

/**
 * SQL that turns the database described by `from` into the one described by the Prisma schema at `schemaPath`.
 * `from: 'empty'` needs no database; `from: migrationsDir` replays the migrations on an in-memory PGlite
 * (a throwaway shadow database — never a real one). Returns '' when there is nothing to change.
 */
export async function diffToSchema(from: 'empty' | { migrationsDir: string }, schemaPath: string): Promise<string> {
  const { SchemaEngine } = await loadGlue();
  const schema = await readFile(schemaPath, 'utf8');
  const extensions = await embeddedExtensions();
  const shadow = new PGlite({ extensions });
  // The adapter's own shadow database is a PGlite without the contrib extensions the migrations create.
  const replay = new PGlite({ extensions });
  const timers: NodeJS.Timeout[] = [];
  const originalSetTimeout = globalThis.setTimeout;
  // The engine leaves a 10 s timer running that would keep the process (and jest) alive: unref what it starts.
  globalThis.setTimeout = ((fn: () => void, ms?: number) => {
    const t = originalSetTimeout(fn, ms);
    t.unref?.();
    timers.push(t);
    return t;
  }) as typeof setTimeout;
  try {
    const adapter = new PrismaPGlite(shadow);
    adapter.connectToShadowDb = () => new PrismaPGlite(replay).connect();
    const factory = bindMigrationAwareSqlAdapterFactory(adapter);
    const engine = await SchemaEngine.new({ datamodels: [[schemaPath, schema]] }, () => {}, factory);
    try {
      const fromTarget =
        from === 'empty'
          ? { tag: 'empty' }
          : { tag: 'migrations', ...(await readMigrationsFolder(from.migrationsDir)) };
      const result = await engine.diff({
        from: fromTarget,
        to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: schema }] },
        script: true,
        exitCode: true,
        filters: { externalTables: [], externalEnums: [] },
      });
      return result.exitCode === 2 ? (result.stdout ?? '') : '';
    } finally {
      engine.free();
    }
  } finally {
    globalThis.setTimeout = originalSetTimeout;
    timers.forEach((t) => clearTimeout(t));
    await shadow.close();
    await replay.close();
  }
}
