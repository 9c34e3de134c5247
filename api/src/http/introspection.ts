// INTROSPECTION=off: queries of __schema and __type are refused at validation, with graphql-js's own rule
// ("GraphQL introspection has been disabled, …"), over HTTP, SSE and graphql-ws alike (graphql-ws validates through
// the same envelop). Field suggestions ("Did you mean …?") would leak the schema too: yoga.ts turns them off then.
import { NoSchemaIntrospectionCustomRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export function disableIntrospectionPlugin(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(NoSchemaIntrospectionCustomRule);
    },
  };
}
