// Trusted documents (persisted operations): GraphQL documents the server knows by id, from manifests built with the
// apps that send them: the web app's (web/src/gql/persisted-documents.json, written by codegen) and any listed in
// TRUSTED_DOCUMENTS_MANIFESTS (a mobile app's). A client sends the id in extensions.persistedQuery.sha256Hash
// (Apollo's shape, version 1) instead of the query text: over HTTP without `query` (Yoga's persisted-operations
// plugin), over graphql-ws with an empty `query` (ws-operations.ts asks resolveOverWs before parsing).
//
// TRUSTED_DOCUMENTS=off (the default, for third-party clients): text runs as ever, and so do known ids; an unknown
// id answers PersistedQueryNotFound (PERSISTED_QUERY_NOT_FOUND), on which Apollo clients send the text.
// TRUSTED_DOCUMENTS=only: nothing but a trusted document runs. Text is refused with PERSISTED_QUERY_ONLY over HTTP
// and graphql-ws before parsing, and before execution on every transport (which covers SSE, whose clients send
// text); GraphiQL is off (graphiql.ts).
//
// A manifest is JSON: { "<id>": "<document>" } (GraphQL Code Generator's client preset, Relay), or Apollo's
// { "format": "apollo-persisted-query-manifest", "version": 1, "operations": [{ "id", "body", … }] } (Apollo Kotlin
// and Apollo iOS). Ids are opaque; a "sha256:" prefix (codegen's) is dropped, so the bare hex APQ clients send
// matches. Every document is parsed at start: a manifest that cannot be read stops the server with its path.
import { readFileSync } from 'node:fs';
import { parse, type DocumentNode, type GraphQLError } from 'graphql';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { z } from 'zod';
import type { TrustedDocumentsMode } from '../config.ts';
import { REQUEST_ERROR_HTTP } from '../errors.ts';

export type { TrustedDocumentsMode };

export type TrustedDocuments = {
  mode: TrustedDocumentsMode;
  /** id (without "sha256:") → document text. */
  byId: ReadonlyMap<string, string>;
};

const flatManifest = z.record(z.string(), z.string());
const apolloManifest = z.object({
  format: z.literal('apollo-persisted-query-manifest'),
  version: z.literal(1),
  operations: z.array(z.object({ id: z.string(), body: z.string() })),
});

type RunPayload = {
  args: { document: DocumentNode };
  setResultAndStopExecution: (result: { data: null; errors: GraphQLError[] }) => void;
};

const bareId = (id: string) => id.replace(/^sha256:/, '');

/** Reads every manifest (paths, absolute); throws, naming the file, when one is missing or malformed. */
export function loadTrustedDocuments(mode: TrustedDocumentsMode, manifests: readonly string[]): TrustedDocuments {
  const byId = new Map<string, string>();
  for (const file of manifests) {
    const fail = (problem: string): never => {
      throw new Error(`Trusted documents manifest ${file}: ${problem}`);
    };
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      fail((err as Error).message);
    }
    const apollo = apolloManifest.safeParse(json);
    const flat = apollo.success ? undefined : flatManifest.safeParse(json);
    const entries = apollo.success
      ? apollo.data.operations.map((op) => [op.id, op.body] as const)
      : flat?.success
        ? Object.entries(flat.data)
        : fail('expected { "<id>": "<document>" } or an apollo-persisted-query-manifest');
    for (const [id, text] of entries) {
      try {
        parse(text);
      } catch (err) {
        fail(`document ${id}: ${(err as Error).message}`);
      }
      byId.set(bareId(id), text);
    }
  }
  return { mode, byId };
}

/** The id a request names: extensions.persistedQuery.sha256Hash with version 1, as Apollo clients send it. */
export function trustedDocumentIdOf(params: { extensions?: unknown }): string | null {
  const persisted = (params.extensions as { persistedQuery?: { version?: unknown; sha256Hash?: unknown } } | null)
    ?.persistedQuery;
  return persisted?.version === 1 && typeof persisted.sha256Hash === 'string' ? bareId(persisted.sha256Hash) : null;
}

const onlyTrusted = () =>
  createGraphQLError(
    'This server runs only trusted documents (TRUSTED_DOCUMENTS=only): send the id of a registered document in ' +
      'extensions.persistedQuery.sha256Hash, without the query text.',
    { extensions: { code: 'PERSISTED_QUERY_ONLY', http: { ...REQUEST_ERROR_HTTP } } },
  );
/** The message is the one Apollo's clients (web, Kotlin, iOS) look for before sending the text instead. */
const notFound = () =>
  createGraphQLError('PersistedQueryNotFound', {
    extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', http: { ...REQUEST_ERROR_HTTP } },
  });

/** GraphQL over HTTP (Yoga's persisted-operations plugin) and, with TRUSTED_DOCUMENTS=only, the execution guard. */
export function trustedDocumentsPlugin(trusted: TrustedDocuments): Plugin {
  const only = trusted.mode === 'only';
  const texts = new Set(trusted.byId.values());
  return {
    onPluginInit({ addPlugin }) {
      const byId = usePersistedOperations({
        allowArbitraryOperations: !only,
        extractPersistedOperationId: trustedDocumentIdOf,
        // The text, not a parsed document: every plugin sees the source it would see in the text, and Yoga's
        // parse cache keeps one parse of it.
        getPersistedOperation: (id) => trusted.byId.get(id) ?? null,
        customErrors: { notFound, persistedQueryOnly: onlyTrusted, keyNotFound: onlyTrusted },
      });
      // Text welcome: a request without an id is Yoga's to check, exactly as without trusted documents.
      const onParams = byId.onParams!;
      addPlugin(
        only
          ? byId
          : { ...byId, onParams: (payload) => (trustedDocumentIdOf(payload.params) ? onParams(payload) : undefined) },
      );
      if (only) {
        // Whatever came by another way (SSE, whose clients send text) is refused before it runs, as its result:
        // graphql-sse's handler reports errors from validation, or a result without `data`, only as "Unable to
        // detect operation AST".
        const refuse = ({ args, setResultAndStopExecution }: RunPayload) => {
          if (!texts.has(args.document.loc?.source.body ?? ''))
            setResultAndStopExecution({ data: null, errors: [onlyTrusted()] });
        };
        addPlugin({ onExecute: refuse, onSubscribe: refuse });
      }
    },
  };
}

/**
 * graphql-ws: the text to run for a subscribe message, or the error to answer it with. An id goes with an empty
 * `query` (graphql-ws wants a string); text with an id runs the text, as over HTTP.
 */
export function resolveOverWs(
  trusted: TrustedDocuments,
  params: { query: string; extensions?: unknown },
): string | GraphQLError {
  const id = trustedDocumentIdOf(params);
  if (params.query || id === null) return trusted.mode === 'only' ? onlyTrusted() : params.query;
  return trusted.byId.get(id) ?? notFound();
}
