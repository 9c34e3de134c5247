// Queries and mutations run as compiled JavaScript (graphql-jit): a document is compiled once, on its first run, into
// a function that reads each field of the result directly, instead of graphql-js walking the document and the schema
// for every field of every object. A history page of 50 messages completes ~1,500 fields; compiled, the page with
// reactions and quoted messages costs ~1.1× a plain page's server CPU instead of ~1.3× (docs/performance.md).
//
// - Subscriptions stay on graphql-js: their events are executed by the subscription machinery (events.ts, the
//   per-user feeds), which graphql-jit's subscribe does not reproduce.
// - Variables are coerced by graphql-js first, so a request error reads exactly as before (graphql-jit words them
//   differently); error-codes.ts gives it its code.
import { useGraphQlJit } from '@envelop/graphql-jit';
import { getOperationAST, getVariableValues, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';

const operationOf = (args: { document: DocumentNode; operationName?: string | null }) =>
  getOperationAST(args.document, args.operationName);

/** Variables of the wrong type, missing or null where required: graphql-js's own errors, before the compiled run. */
function variablesFirstPlugin(): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const operation = operationOf(args);
      if (!operation?.variableDefinitions?.length) return;
      const coerced = getVariableValues(args.schema, operation.variableDefinitions, args.variableValues ?? {}, {
        maxErrors: 50,
      });
      if (coerced.errors) setResultAndStopExecution({ errors: coerced.errors });
    },
  };
}

/** Last in the envelop: what runs before (limits, trusted documents, input checks) is unchanged. */
export function compiledExecutionPlugins(): (Plugin | ReturnType<typeof useGraphQlJit>)[] {
  return [
    variablesFirstPlugin(),
    useGraphQlJit(
      {},
      {
        // An operation that cannot be resolved (no such name) is left to graphql-js, and its error, too.
        enableIf: (args) => {
          const operation = operationOf(args)?.operation;
          return operation === 'query' || operation === 'mutation';
        },
      },
    ),
  ];
}
