// GraphiQL's guided tabs (api/src/http/graphiql/*.graphql): each is one operation named for its file, valid against
// the schema, with Variables for exactly what it declares, in lines that fit GraphiQL's editors; and the module the
// server bundles (graphiql-tabs.generated.ts) is what the documents make. No server: the schema is built in-process.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, validate, type OperationDefinitionNode } from 'graphql';
import { schema } from '../src/schema/index.ts';
import { GRAPHIQL_TABS } from '../src/http/graphiql.ts';
import { TAB_DOCUMENTS } from '../src/http/graphiql-tabs.generated.ts';
import { ROOT_DIR } from '../src/paths.ts';

const TABS_DIR = join(ROOT_DIR, 'api', 'src', 'http', 'graphiql');
/** GraphiQL's editors do not wrap; at 1280 px the operation editor shows about 49 columns (web/e2e/graphiql.e2e.ts). */
const MAX_LINE = 48;
const parseJsonc = (text: string) => JSON.parse(text.replace(/^\s*\/\/.*$/gm, '')) as Record<string, unknown>;

it('the bundled module is what the documents make (node api/scripts/graphiql-tabs.mjs)', () => {
  expect(() =>
    execFileSync(process.execPath, [join(ROOT_DIR, 'api', 'scripts', 'graphiql-tabs.mjs'), '--check'], {
      stdio: 'pipe',
    }),
  ).not.toThrow();
  const files = readdirSync(TABS_DIR).filter((file) => file.endsWith('.graphql'));
  expect(TAB_DOCUMENTS.map((tab) => tab.file).sort()).toEqual(files.sort());
  expect(GRAPHIQL_TABS.map((tab) => tab.query)).toEqual(TAB_DOCUMENTS.map((tab) => tab.query));
});

it('opens on Welcome, then the walk through the API', () => {
  expect(TAB_DOCUMENTS.map((tab) => tab.name)).toEqual([
    'Welcome',
    'SignUp',
    'LogIn',
    'People',
    'History',
    'Send',
    'Live',
    'Inbox',
    'Change',
    'Search',
  ]);
  // GraphiQL opens the first tab without its Variables (api/src/http/graphiql.ts): Welcome has none.
  expect(TAB_DOCUMENTS[0]!.variables).toBeUndefined();
});

describe.each(TAB_DOCUMENTS.map((tab) => [tab.file, tab] as const))('%s', (_file, tab) => {
  const document = parse(tab.query);

  it('is one operation, named for its file, valid against the schema', () => {
    const operations = document.definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
    expect(operations.map((o) => o.name?.value)).toEqual([tab.name]);
    expect(document.definitions).toHaveLength(1);
    expect(validate(schema, document).map((e) => e.message)).toEqual([]);
  });

  it('has Variables for exactly the variables it declares', () => {
    const operation = document.definitions[0] as OperationDefinitionNode;
    const declared = (operation.variableDefinitions ?? []).map((v) => v.variable.name.value);
    const given = tab.variables === undefined ? [] : Object.keys(parseJsonc(tab.variables));
    expect(given).toEqual(declared);
  });

  it(`keeps every line within ${MAX_LINE} characters`, () => {
    const long = [tab.query, tab.variables ?? '']
      .flatMap((text) => text.split('\n'))
      .filter((line) => line.length > MAX_LINE);
    expect(long).toEqual([]);
  });
});
