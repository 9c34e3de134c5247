// `npm run schema:print`: writes the Pothos schema to schema.graphql (the committed contract).
// `--check` exits 1 when the committed file differs (used by CI and the test suite).
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { printSchema } from 'graphql';
import { ROOT_DIR } from '../src/paths.ts';
import { schema } from '../src/schema/index.ts';

export const SCHEMA_FILE = path.join(ROOT_DIR, 'schema.graphql');
const HEADER =
  '# parley GraphQL contract — generated from the Pothos schema by `npm run schema:print`; do not edit.\n\n';

export const printContract = () => HEADER + printSchema(schema) + '\n';

const current = await readFile(SCHEMA_FILE, 'utf8').catch(() => '');
if (process.argv.includes('--check')) {
  if (current !== printContract()) {
    console.error('schema.graphql is out of date with the Pothos schema: run `npm run schema:print` and commit it.');
    process.exit(1);
  }
  console.log('schema.graphql is up to date.');
} else {
  await writeFile(SCHEMA_FILE, printContract());
  console.log(`wrote ${SCHEMA_FILE}`);
}
