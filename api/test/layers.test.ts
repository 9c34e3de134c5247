// The API's layers (CONTRIBUTING.md, "API layers"): every import in api/src runs down the table, never up, and
// neither api/src nor web/src has an import cycle (madge). No server: this reads the sources.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import madge from 'madge';
import { ROOT_DIR } from '../src/paths.ts';

const SRC = join(ROOT_DIR, 'api', 'src');

/**
 * Bottom up. A module imports only from its own layer and the layers of a lower rank; two layers of the same rank
 * (auth/ and chat/) do not import each other. The domain folders are ranked too, so that they cannot form a cycle
 * between them: users/ at the bottom (auth/ and chat/ read its user types), attachments/ (chat/ carries a message's
 * attachments and deletes them with it; attachments/ never reads chat/), then auth/ and chat/.
 */
const LAYERS: { name: string; rank: number; modules: RegExp }[] = [
  { name: 'foundation', rank: 0, modules: /^(config|logger|paths|errors|paging|periodic)\.ts$/ },
  { name: 'infrastructure', rank: 1, modules: /^(db\/.*|metrics\/.*|pubsub\.ts|throttle\.ts)$/ },
  { name: 'domain: users', rank: 2, modules: /^users\// },
  { name: 'domain: attachments', rank: 2.5, modules: /^attachments\// }, // chat/ reads and deletes attachments
  { name: 'domain: auth', rank: 3, modules: /^auth\// },
  { name: 'domain: chat', rank: 3, modules: /^chat\// },
  { name: 'domain: search', rank: 3.5, modules: /^search\// }, // reads chat/'s message rows
  { name: 'domain: push', rank: 3.5, modules: /^push\// }, // Web Push: reads the tables of chat/ and auth/ in SQL only
  { name: 'GraphQL seam', rank: 4, modules: /^(builder|context)\.ts$/ },
  { name: 'schema', rank: 5, modules: /^schema\// },
  { name: 'HTTP', rank: 6, modules: /^(http\/.*|server\.ts)$/ },
  { name: 'assembly', rank: 7, modules: /^app\.ts$/ },
  { name: 'process', rank: 8, modules: /^main\.ts$/ },
];
/** Modules that import nothing else of parley: configuration is read by every layer. */
const IMPORTS_NOTHING = ['config.ts'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sources(path);
    return /\.ts$/.test(entry.name) ? [path] : [];
  });
}

const layerOf = (module: string) => LAYERS.find((layer) => layer.modules.test(module));

/** Every relative import of a file (static, `import type`, re-exports and `import()`), as modules under src/. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^import\s+)'(\.{1,2}\/[^']+)'/gm)].map((m) => m[1]!);
  return specs.map((spec) => relative(SRC, resolve(dirname(file), spec)));
}

/** What breaks the table: imports that run up the layers (or sideways between ranks), and unlisted modules. */
function layerViolations(modules: { module: string; imports: string[] }[]): string[] {
  const wrong: string[] = [];
  for (const { module, imports } of modules) {
    const from = layerOf(module);
    if (!from) {
      wrong.push(`${module} is in no layer (add it to CONTRIBUTING.md's table and to LAYERS)`);
      continue;
    }
    for (const target of imports) {
      if (target.startsWith('generated/')) continue; // the Prisma client, generated: infrastructure's
      // The repository's shared/ (rules both the API and the web client apply) imports nothing: below every layer.
      if (target.startsWith('../../shared/')) continue;
      const to = layerOf(target);
      if (IMPORTS_NOTHING.includes(module)) wrong.push(`${module} → ${target} (${module} imports nothing of parley)`);
      else if (!to) wrong.push(`${module} → ${target} (outside every layer)`);
      else if (to !== from && to.rank >= from.rank) wrong.push(`${module} → ${target} (${from.name} → ${to.name})`);
    }
  }
  return wrong;
}

it('imports in api/src only run down the layers', () => {
  const modules = sources(SRC).map((file) => ({ module: relative(SRC, file), imports: importsOf(file) }));
  expect(modules.length).toBeGreaterThan(40); // the scan sees the sources…
  expect(modules.find((m) => m.module === 'app.ts')?.imports).toContain('server.ts'); // …and their imports
  expect(layerViolations(modules)).toEqual([]);
});

it('the rules refuse an import back up the layers (the imports this issue removed)', () => {
  expect(
    layerViolations([
      { module: 'config.ts', imports: ['http/trusted-documents.ts', 'paths.ts'] },
      { module: 'users/accounts.ts', imports: ['auth/passwords.ts'] },
      { module: 'chat/send.ts', imports: ['auth/tokens.ts', 'schema/message.ts'] },
      { module: 'db/index.ts', imports: ['context.ts'] },
      { module: 'auth/sessions.ts', imports: ['users/types.ts', 'db/sql.ts', 'errors.ts'] }, // allowed
    ]),
  ).toEqual([
    'config.ts → http/trusted-documents.ts (config.ts imports nothing of parley)',
    'config.ts → paths.ts (config.ts imports nothing of parley)',
    'users/accounts.ts → auth/passwords.ts (domain: users → domain: auth)',
    'chat/send.ts → auth/tokens.ts (domain: chat → domain: auth)',
    'chat/send.ts → schema/message.ts (domain: chat → schema)',
    'db/index.ts → context.ts (infrastructure → GraphQL seam)',
  ]);
});

async function cycles(dir: string, tsConfig: string, atLeast = 20): Promise<string[][]> {
  const result = await madge(dir, {
    fileExtensions: ['ts', 'tsx'],
    excludeRegExp: [/generated\//, /\/gql\//, /\.test\.tsx?$/],
    tsConfig,
    detectiveOptions: { ts: { skipTypeImports: false }, tsx: { skipTypeImports: false } },
  });
  // Unresolved imports would hide cycles: every relative import must have been followed.
  expect(result.warnings().skipped.filter((spec) => spec.startsWith('.'))).toEqual([]);
  expect(Object.keys(result.obj()).length).toBeGreaterThan(atLeast);
  return result.circular();
}

it('api/src has no import cycle (madge)', async () => {
  expect(await cycles(SRC, join(ROOT_DIR, 'api', 'tsconfig.json'))).toEqual([]);
}, 60_000);

it('web/src has no import cycle (madge)', async () => {
  expect(await cycles(join(ROOT_DIR, 'web', 'src'), join(ROOT_DIR, 'web', 'tsconfig.json'))).toEqual([]);
}, 60_000);

it('madge finds a cycle through `.ts` imports (the check above can fail)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-cycle-'));
  try {
    writeFileSync(join(dir, 'a.ts'), "import { b } from './b.ts';\nexport const a = () => b;\n");
    writeFileSync(join(dir, 'b.ts'), "import type { a } from './a.ts';\nexport const b = (x?: typeof a) => x;\n");
    expect(await cycles(dir, join(ROOT_DIR, 'api', 'tsconfig.json'), 1)).toEqual([['a.ts', 'b.ts']]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
