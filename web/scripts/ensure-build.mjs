#!/usr/bin/env node
// Build web/dist only when it is missing or older than its inputs, so
// `npm start` on a fresh clone serves a working UI without a dev server.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const webDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = join(webDir, '..');
const builtIndex = join(webDir, 'dist', 'index.html');

/** Newest mtime (ms) under a path, and which file it was. */
function newest(path) {
  if (!existsSync(path)) return { mtime: 0, file: null };
  const stat = statSync(path);
  if (!stat.isDirectory()) return { mtime: stat.mtimeMs, file: path };
  let best = { mtime: 0, file: null };
  for (const entry of readdirSync(path)) {
    // Tests and their helpers are not part of the bundle.
    if (entry === 'node_modules' || entry === 'test' || entry.startsWith('.') || /\.test\.tsx?$/.test(entry)) continue;
    const candidate = newest(join(path, entry));
    if (candidate.mtime > best.mtime) best = candidate;
  }
  return best;
}

const inputs = [
  join(webDir, 'src'),
  join(webDir, 'public'),
  join(webDir, 'index.html'),
  ...readdirSync(webDir)
    .filter((f) => f.startsWith('vite.config.'))
    .map((f) => join(webDir, f)),
  join(webDir, 'scripts', 'graphql-documents-plugin.mjs'), // a build plugin of vite.config.ts
  join(webDir, 'package.json'),
  join(repoRoot, 'schema.graphql'),
];

const latestInput = inputs.map(newest).reduce((a, b) => (b.mtime > a.mtime ? b : a));
const built = existsSync(builtIndex) ? statSync(builtIndex).mtimeMs : 0;

if (built && built >= latestInput.mtime) {
  console.log('[ensure-build] web/dist is up to date.');
  process.exit(0);
}

console.log(
  built
    ? `[ensure-build] web/dist is stale (${latestInput.file} changed); building…`
    : '[ensure-build] web/dist is missing; building…',
);
const result = spawnSync('npx', ['vite', 'build'], {
  cwd: webDir,
  stdio: 'inherit',
  shell: process.platform === 'win32',
});
if (result.status !== 0) {
  console.error('[ensure-build] vite build failed.');
  process.exit(result.status ?? 1);
}
