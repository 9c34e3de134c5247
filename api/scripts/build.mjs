#!/usr/bin/env node
// Compiles the API to plain JavaScript: src/ (with the generated Prisma client) → dist/, with tsc and
// tsconfig.build.json (types are checked by `npm run typecheck`, not here).
//   node scripts/build.mjs              build (`npm run build -w api`)
//   node scripts/build.mjs --if-stale   build only when dist/ is missing or older than its inputs (`npm start`,
//                                       the API tests' global setup)
// The build is written beside dist/ and swapped in, so a server starting from dist/ meanwhile (a test run next
// to this one) never sees half of it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const apiDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = join(apiDir, '..');
const distDir = join(apiDir, 'dist');
/** Written last, by a build that succeeded; its mtime is when that build started (so an input changed while it
 * ran makes dist/ stale). */
const STAMP = '.built';

/** Newest mtime (ms) under a path — files and directories, so a deleted or renamed file counts — and which. */
function newest(path) {
  if (!existsSync(path)) return { mtime: 0, file: null };
  const stat = statSync(path);
  let best = { mtime: stat.mtimeMs, file: path };
  if (!stat.isDirectory()) return best;
  for (const entry of readdirSync(path)) {
    const candidate = newest(join(path, entry));
    if (candidate.mtime > best.mtime) best = candidate;
  }
  return best;
}

// What dist/ is made from. (prisma/migrations is not: the server reads it at run time.)
const inputs = [
  join(apiDir, 'src'),
  join(apiDir, 'tsconfig.json'),
  join(apiDir, 'tsconfig.build.json'),
  join(apiDir, 'package.json'),
  join(repoRoot, 'prisma', 'schema.prisma'),
];

if (process.argv.includes('--if-stale')) {
  const latest = inputs.map(newest).reduce((a, b) => (b.mtime > a.mtime ? b : a));
  const stampPath = join(distDir, STAMP);
  const built = existsSync(stampPath) ? statSync(stampPath).mtimeMs : 0;
  if (built && built >= latest.mtime) process.exit(0);
  console.log(
    built
      ? `[api build] dist/ is older than ${relative(repoRoot, latest.file)}: building…`
      : '[api build] dist/ is missing: building…',
  );
}

const started = new Date();
// Same depth as dist/, so paths computed from import.meta.url (src/paths.ts) hold in the build too.
const outDir = join(apiDir, `dist.${process.pid}.tmp`);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const result = spawnSync(process.execPath, [tsc, '-p', join(apiDir, 'tsconfig.build.json'), '--outDir', outDir], {
  stdio: 'inherit',
});
if (result.status !== 0) {
  rmSync(outDir, { recursive: true, force: true });
  console.error('[api build] tsc failed.');
  process.exit(result.status ?? 1);
}
writeFileSync(join(outDir, STAMP), '');
utimesSync(join(outDir, STAMP), started, started);
const old = join(apiDir, `dist.${process.pid}.old`);
if (existsSync(distDir)) renameSync(distDir, old);
renameSync(outDir, distDir);
rmSync(old, { recursive: true, force: true });
console.log(`[api build] dist/ built in ${((Date.now() - started.getTime()) / 1000).toFixed(1)} s.`);
