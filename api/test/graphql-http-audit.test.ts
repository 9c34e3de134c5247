// GraphQL over HTTP conformance: graphql-http's server audits against a real server. Every MUST passes; the
// SHOULDs and MAYs parley does not follow are listed (each with its reason) and pinned, so a new one is a decision.
import { serverAudits } from 'graphql-http';
import { type TestServer } from './support/server.ts';
import { useTestServer } from './support/suite.ts';

let server: TestServer;

useTestServer(async (suite) => {
  server = suite.server;
});

/**
 * Recommendations (SHOULD, MAY) parley does not follow, by audit id → name, each with why beside it. Empty: all 61
 * audits pass. Request errors answer 400 to application/graphql-response+json and 200 to application/json-only
 * clients, as the spec asks (REQUEST_ERROR_HTTP in errors.ts).
 */
const ACCEPTED_WARNINGS: Record<string, string> = {};

test('graphql-http audits: no failure, and only the listed warnings', async () => {
  const results = await Promise.all(
    serverAudits({ url: `${server.url}/graphql`, fetchFn: fetch }).map(async (audit) => {
      const result = await audit.fn();
      if (result.status === 'ok') return { ...result, reason: '' };
      return { id: result.id, name: result.name, status: result.status, reason: result.reason };
    }),
  );
  const notOk = results.filter((r) => r.status !== 'ok');
  // The list, in the test output: what parley does not do of the recommendations.
  console.log(
    `graphql-http audits: ${results.length - notOk.length} of ${results.length} ok\n` +
      notOk.map((r) => `${r.status} ${r.id} ${r.name}: ${r.reason}`).join('\n'),
  );
  expect(notOk.filter((r) => r.status === 'error')).toEqual([]);
  expect(Object.fromEntries(notOk.map((r) => [r.id, r.name]))).toEqual(ACCEPTED_WARNINGS);
});
