// Every error a client sees carries `extensions.code`, including those raised before execution (syntax errors
// and graphql-armor's limits are parse errors; schema validation errors already have
// GRAPHQL_VALIDATION_FAILED).
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export function codeFor(error: GraphQLError): string {
  return /^Syntax Error/.test(error.message) ? 'GRAPHQL_PARSE_FAILED' : 'INTERNAL_SERVER_ERROR';
}

export function withCode(error: GraphQLError): GraphQLError {
  if (error.extensions?.code) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, code: codeFor(error) },
  });
}

export function errorCodesPlugin(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      const patch = (r: unknown) => {
        const errors = (r as { errors?: readonly GraphQLError[] })?.errors;
        if (!errors?.some((e) => !e.extensions?.code)) return r;
        return { ...(r as object), errors: errors.map((e) => (e instanceof GraphQLError ? withCode(e) : e)) };
      };
      if (Array.isArray(result)) setResult(result.map(patch) as typeof result);
      else if (result && !(Symbol.asyncIterator in (result as object))) setResult(patch(result) as typeof result);
    },
  };
}
