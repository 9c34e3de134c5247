// Every error a client sees carries `extensions.code`, over HTTP, SSE and graphql-ws alike, and the code says whose
// mistake it is:
// - the document: GRAPHQL_PARSE_FAILED (syntax), GRAPHQL_VALIDATION_FAILED (not valid against the schema), or
//   QUERY_TOO_COMPLEX (over a query limit: cost, depth, aliases, directives, tokens, introspection depth);
// - the variables: BAD_USER_INPUT (missing, null or of the wrong type), like an argument the resolvers refuse;
// - which operation to run: OPERATION_RESOLUTION_FAILURE (Yoga's, over HTTP; graphql-ws answers that one itself,
//   without a code, unless graphql-ws.ts passes its errors through withCode);
// - the server: INTERNAL_SERVER_ERROR ("Unexpected error.", masked by yoga.ts), SERVICE_UNAVAILABLE.
// Request errors answer HTTP 400 (200 to clients that accept only application/json: GraphQL over HTTP).
// graphql-armor rejects through graphql-js errors named "Syntax Error: …"; its onReject handlers (armorRejection)
// turn them into QUERY_TOO_COMPLEX here, and withCode does too for any that still get through.
import { GraphQLError, type ExecutionResult, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { queryTooComplex, REQUEST_ERROR_HTTP, type QueryLimit } from '../errors.ts';

/** graphql-armor's rejections: "Syntax Error: Query depth limit of 8 exceeded, found 9." and its siblings. */
const ARMOR_REJECTION =
  /^Syntax Error: (Query depth|Aliases|Directives|Token|Query Cost) limit of (\d+) exceeded(?:, found (\d+))?\.$/;
const ARMOR_MEASURE: Record<string, QueryLimit['measure']> = {
  'Query depth': 'depth',
  Aliases: 'aliases',
  Directives: 'directives',
  Token: 'tokens',
  'Query Cost': 'cost',
};
/** graphql-js's MaxIntrospectionDepthRule (fields, interfaces, possibleTypes or inputFields nested 3 deep). */
const INTROSPECTION_DEPTH = /^Maximum introspection depth exceeded/;
/** Variables that are missing, null or of the wrong type (graphql-js's coercion messages). */
const VARIABLE_COERCION = /^Variable "\$[_A-Za-z][_0-9A-Za-z]*" /;
/** No operation, or not the one named, to run (graphql-js's and graphql-ws's messages; Yoga's has its code). */
const OPERATION_RESOLUTION =
  /^(Must provide an operation\.|Must provide operation name|Unknown operation named|Unable to identify operation)/;

const messageFor: Record<QueryLimit['measure'], (limit: number, found?: number) => string> = {
  cost: (limit, found) => `Query cost ${found} is over the limit of ${limit}: ask for fewer fields or smaller pages.`,
  depth: (limit, found) => `Query depth ${found} is over the limit of ${limit}: nest fields less deeply.`,
  aliases: (limit, found) => `Query has ${found} aliases, over the limit of ${limit}.`,
  directives: (limit, found) => `Query has ${found} directives, over the limit of ${limit}.`,
  tokens: (limit) => `Query is over the limit of ${limit} tokens: send a shorter document.`,
  introspectionDepth: () =>
    'Introspection query nests fields, interfaces, possibleTypes or inputFields over the limit of 3 deep.',
};

/** The QUERY_TOO_COMPLEX error for one of graphql-armor's rejections; null for any other error. */
export function armorRejection(error: GraphQLError): GraphQLError | null {
  const match = ARMOR_REJECTION.exec(error.message);
  if (!match) return null;
  const measure = ARMOR_MEASURE[match[1]];
  const limit = Number(match[2]);
  const found = match[3] === undefined ? undefined : Number(match[3]);
  return queryTooComplex(messageFor[measure](limit, found), {
    measure,
    limit,
    ...(found === undefined ? {} : { found }),
  });
}

/**
 * graphql-armor's `onReject` for one of its limits (use with `propagateOnRejection: false`): the rejection becomes
 * a QUERY_TOO_COMPLEX validation error, so validate() returns it like any other (HTTP 400; an `error` message over
 * graphql-ws) instead of throwing it. The token limit is checked while parsing, with no validation context: there
 * the error is thrown, as a parse error is.
 */
export function rejectAsTooComplex(measure: QueryLimit['measure'], limit: number) {
  return (context: ValidationContext | null, error: GraphQLError): void => {
    const found = /found (\d+)/.exec(error.message)?.[1];
    const rejection = queryTooComplex(messageFor[measure](limit, Number(found)), {
      measure,
      limit,
      ...(found === undefined ? {} : { found: Number(found) }),
    });
    if (!context) throw rejection;
    context.reportError(rejection);
  };
}

export function codeFor(error: GraphQLError): string {
  if (ARMOR_REJECTION.test(error.message) || INTROSPECTION_DEPTH.test(error.message)) return 'QUERY_TOO_COMPLEX';
  if (/^Syntax Error/.test(error.message)) return 'GRAPHQL_PARSE_FAILED';
  if (VARIABLE_COERCION.test(error.message)) return 'BAD_USER_INPUT';
  if (OPERATION_RESOLUTION.test(error.message)) return 'OPERATION_RESOLUTION_FAILURE';
  return 'INTERNAL_SERVER_ERROR';
}

/** True for the codes of request errors: HTTP 400 (GraphQL over HTTP's `spec` status). */
const isRequestErrorCode = (code: string) =>
  ['QUERY_TOO_COMPLEX', 'GRAPHQL_PARSE_FAILED', 'BAD_USER_INPUT', 'OPERATION_RESOLUTION_FAILURE'].includes(code);

/** The error with its `extensions.code` (and, for request errors, HTTP status); unchanged when it has a code. */
export function withCode(error: GraphQLError): GraphQLError {
  if (error.extensions?.code) return error;
  const rejection = armorRejection(error);
  if (rejection) return rejection;
  const code = codeFor(error);
  const http = error.extensions?.http as Record<string, unknown> | undefined;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: {
      ...error.extensions,
      code,
      ...(isRequestErrorCode(code) ? { http: { ...REQUEST_ERROR_HTTP, ...http } } : {}),
    },
  });
}

/**
 * graphql-js's errors before execution (variables, which operation) arrive without a code, or — for
 * subscriptions — all as BAD_USER_INPUT: their code, and the `spec` HTTP status of request errors (Yoga's executor
 * sets a bare 400 on them, which it would send to application/json clients too, unlike parse and validation errors).
 * Errors from resolvers are left to masking (yoga.ts).
 */
function requestErrorCode(error: GraphQLError): GraphQLError {
  if (error.path || (error.originalError && !(error.originalError instanceof GraphQLError))) return error;
  const code = codeFor(error);
  if (code === 'INTERNAL_SERVER_ERROR') return error;
  if (error.extensions?.code === code && (error.extensions.http as { spec?: boolean } | undefined)?.spec) return error;
  return withCode(
    new GraphQLError(error.message, {
      nodes: error.nodes,
      source: error.source,
      positions: error.positions,
      originalError: error.originalError,
      extensions: { ...error.extensions, code: undefined, http: undefined },
    }),
  );
}

/** Validation errors with their code: QUERY_TOO_COMPLEX for the introspection depth limit. */
function validationErrorCode(error: GraphQLError): GraphQLError {
  if (!INTROSPECTION_DEPTH.test(error.message) || error.extensions?.code === 'QUERY_TOO_COMPLEX') return error;
  return new GraphQLError(messageFor.introspectionDepth(3), {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: { code: 'QUERY_TOO_COMPLEX', measure: 'introspectionDepth', limit: 3, http: { ...REQUEST_ERROR_HTTP } },
  });
}

type MaybeErrors = { errors?: readonly GraphQLError[] };

function patchErrors<T>(result: T, patch: (error: GraphQLError) => GraphQLError): T {
  const errors = (result as MaybeErrors | null)?.errors;
  if (!errors?.length) return result;
  const patched = errors.map((e) => (e instanceof GraphQLError ? patch(e) : e));
  return patched.every((e, i) => e === errors[i]) ? result : { ...result, errors: patched };
}

export function errorCodesPlugin(): Plugin {
  const patchExecution = ({ result, setResult }: { result: unknown; setResult: (r: ExecutionResult) => void }) => {
    if (result && typeof result === 'object' && Symbol.asyncIterator in result) return;
    const patched = patchErrors(result, requestErrorCode);
    if (patched !== result) setResult(patched as ExecutionResult);
  };
  return {
    // Runs for HTTP and graphql-ws (which validates through the same envelop), also on Yoga's validation cache hits.
    onValidate() {
      return ({ result, setResult }) => {
        if (result.some((e) => INTROSPECTION_DEPTH.test(e.message))) {
          setResult(result.map((e) => (e instanceof GraphQLError ? validationErrorCode(e) : e)));
        }
      };
    },
    onExecute() {
      return { onExecuteDone: patchExecution };
    },
    onSubscribe() {
      return { onSubscribeResult: patchExecution };
    },
    // Over HTTP, whatever still has no code (errors thrown before execution, e.g. while parsing).
    onResultProcess({ result, setResult }) {
      const patch = (r: unknown) => patchErrors(r, withCode);
      if (Array.isArray(result)) setResult(result.map(patch) as typeof result);
      else if (result && !(Symbol.asyncIterator in (result as object))) setResult(patch(result) as typeof result);
    },
  };
}

/** graphql-armor options for one of its limits: rejections become QUERY_TOO_COMPLEX (rejectAsTooComplex). */
export const armorRejects = (measure: QueryLimit['measure'], limit: number) => ({
  propagateOnRejection: false,
  onReject: [rejectAsTooComplex(measure, limit)],
});
