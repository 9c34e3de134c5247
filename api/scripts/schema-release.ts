// `npm run schema:release -- <version>`: releases the contract. Checks schema.graphql against the last release
// (contract-gate.ts: every breaking change recorded, removals deprecated first), then copies schema.graphql to
// schema/released.graphql and turns CHANGELOG.md's `## Unreleased` into `## <version> — <date>` under a new, empty
// `## Unreleased`. Run it on an up-to-date schema.graphql (`npm run schema:print`; `npm test` checks it), then commit
// both files.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CHANGELOG_FILE, checkContract, CURRENT_FILE, RELEASED_FILE } from './contract-gate.ts';

const RELEASED_HEADER =
  '# parley GraphQL contract as last released — copied from schema.graphql by `npm run schema:release`; do not edit.\n';

/** CHANGELOG.md with the `## Unreleased` section renamed to the version, and a new empty one above it. */
export function releaseChangelog(changelog: string, version: string, date: string): string {
  if (new RegExp(`^## ${version.replace(/\./g, '\\.')}(\\s|$)`, 'm').test(changelog)) {
    throw new Error(`CHANGELOG.md already has a "## ${version}" section.`);
  }
  if (!/^## Unreleased[ \t]*$/m.test(changelog)) throw new Error('CHANGELOG.md has no "## Unreleased" section.');
  return changelog.replace(/^## Unreleased[ \t]*$/m, `## Unreleased\n\n## ${version} — ${date}`);
}

/** The released snapshot of a schema.graphql: the same SDL under a header that says what it is. */
export const releasedSnapshot = (current: string) => RELEASED_HEADER + current.replace(/^#.*\n/, '');

// Run as a script (not imported by the test).
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const version = process.argv[2];
  if (!version || !/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(version)) {
    console.error('usage: npm run schema:release -- <version>   (e.g. 0.2.0)');
    process.exit(2);
  }
  const [current, released, changelog] = await Promise.all(
    [CURRENT_FILE, RELEASED_FILE, CHANGELOG_FILE].map((file) => readFile(file, 'utf8')),
  );
  const report = await checkContract({ current, released, changelog });
  if (!report.ok) {
    console.error(`The contract cannot be released as ${version}:\n- ${report.problems.join('\n- ')}`);
    process.exit(1);
  }
  let next: string;
  try {
    next = releaseChangelog(changelog, version, new Date().toISOString().slice(0, 10));
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
  await writeFile(RELEASED_FILE, releasedSnapshot(current));
  await writeFile(CHANGELOG_FILE, next);
  console.log(
    `Released the contract as ${version}: wrote ${RELEASED_FILE} (${report.changes.length} changes, ` +
      `${report.breaking.length} breaking) and moved "## Unreleased" in CHANGELOG.md to "## ${version}". Commit both.`,
  );
}
