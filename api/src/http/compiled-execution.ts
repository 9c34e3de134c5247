// Queries and mutations run as compiled JavaScript (graphql-jit): a document is compiled once, on its second run, into
// a function that reads each field of the result directly, instead of graphql-js walking the document and the schema
// for every field of every object. A history page of 50 messages completes ~1,500 fields; compiled, the page with
// reactions and quoted messages costs ~1.1× a plain page's server CPU instead of ~1.3× (docs/performance.md).
//
// - Subscriptions stay on graphql-js: their events are executed by the subscription machinery (events.ts, the
//   per-user feeds), which graphql-jit's subscribe does not reproduce.
// - A document is compiled from its second run: compiling costs 4 ms for a history page's document and 25 ms for
//   introspection, and anyone can send a new document with every request, so one seen once runs on graphql-js.
//   (Yoga's parser cache hands out one DocumentNode per source text, so runs are counted per document object.)
// - A request refused for its variables is answered with graphql-js's own errors (graphql-jit words them
//   differently), so it reads exactly as before; error-codes.ts gives it its code.
// - graphql-jit's field errors carry `locations` but not the document positions Yoga rebuilds errors from (masking,
//   the HTTP result): they are made graphql-js errors again, located in the document, before either runs.
import { useGraphQlJit } from '@envelop/graphql-jit';
import {
  getOperationAST,
  getVariableValues,
  GraphQLError,
  type DocumentNode,
  type ExecutionResult,
  type Source,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';

const operationOf = (args: { document: DocumentNode; operationName?: string | null }) =>
  getOperationAST(args.document, args.operationName);

/** A field error of graphql-jit (locations, no positions) as graphql-js makes it: positioned in the document. */
function located(error: GraphQLError, source: Source | undefined): GraphQLError {
  if (error.nodes || error.positions || !error.locations?.length || !source) return error;
  const lineStarts = [0];
  for (const match of source.body.matchAll(/\r\n|[\n\r]/g)) lineStarts.push(match.index + match[0].length);
  return new GraphQLError(error.message, {
    source,
    positions: error.locations.map(({ line, column }) => (lineStarts[line - 1] ?? 0) + column - 1),
    path: error.path,
    originalError: error.originalError,
    extensions: error.extensions,
  });
}

/**
 * graphql-js's error shapes after a compiled run (see the header); a run on graphql-js passes unchanged. Variables
 * are coerced again only when the compiled run refused them (no data): the answers of good requests cost nothing.
 */
export function graphqlJsErrorsPlugin(): Plugin {
  return {
    onExecute({ args }) {
      return {
        onExecuteDone({ result, setResult }) {
          const { data, errors } = result as ExecutionResult;
          if (!errors?.length) return;
          if (data === undefined) {
            const operation = operationOf(args);
            const coerced = getVariableValues(
              args.schema,
              operation?.variableDefinitions ?? [],
              args.variableValues ?? {},
              { maxErrors: 50 },
            );
            if (coerced.errors) return setResult({ errors: coerced.errors });
          }
          if (!errors.some((e) => !e.nodes && e.locations)) return;
          const source = args.document.loc?.source;
          setResult({ ...(result as ExecutionResult), errors: errors.map((e) => located(e, source)) });
        },
      };
    },
  };
}

/** From which run of a document it is compiled. */
const COMPILED_FROM_RUN = 2;
const runs = new WeakMap<DocumentNode, number>();

/** Last in the envelop: what runs before (limits, trusted documents, input checks) is unchanged. */
export function compiledExecutionPlugin(): ReturnType<typeof useGraphQlJit> {
  return useGraphQlJit(
    {},
    {
      // An operation that cannot be resolved (no such name) is left to graphql-js, and its error, too.
      enableIf: (args) => {
        const operation = operationOf(args)?.operation;
        if (operation !== 'query' && operation !== 'mutation') return false;
        const run = (runs.get(args.document) ?? 0) + 1;
        if (run <= COMPILED_FROM_RUN) runs.set(args.document, run);
        return run >= COMPILED_FROM_RUN;
      },
    },
  );
}
