// An operation over graphql-ws (graphql-ws's onSubscribe): one sent by id (a trusted document) is resolved to its text
// first (trusted-documents.ts), a socket runs at most MAX_SUBSCRIPTIONS_PER_SOCKET at once, and each runs through the
// same envelop as HTTP (yoga.ts). An operation may carry its own token in extensions.headers (GraphiQL's Headers
// editor), which then authenticates that operation only: a refused token fails only it, and its subscription ends
// when that session does (stream-sessions.ts), while the socket stays.
import { GraphQLError, type ExecutionArgs } from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import { authenticate, authorizationParam, type Context, type Services } from '../context.ts';
import { clientError, isDatabaseUnavailable, serviceUnavailable, unauthenticated } from '../errors.ts';
import { withCode } from './error-codes.ts';
import { resolveOverWs, type TrustedDocuments } from './trusted-documents.ts';
import { wsOperationId } from './request-id.ts';
import type { SocketState } from './ws-sessions.ts';
import type { ParleyYoga } from './yoga.ts';

/** `extensions.headers` of a graphql-ws subscribe message, when it is an object. */
function headersOf(extensions: unknown): Record<string, unknown> | undefined {
  const headers = (extensions as { headers?: unknown } | null | undefined)?.headers;
  return headers && typeof headers === 'object' ? (headers as Record<string, unknown>) : undefined;
}

type SubscribeContext = { subscriptions: Record<string, unknown>; extra: { state?: SocketState } };

export function operationsOverWs(
  yoga: ParleyYoga,
  services: Services,
  limits: { maxSubscriptionsPerSocket: number; trustedDocuments: TrustedDocuments },
) {
  return async (
    ctx: SubscribeContext,
    id: string,
    sent: SubscribePayload,
  ): Promise<ExecutionArgs | readonly GraphQLError[]> => {
    const state = ctx.extra.state!;
    const query = resolveOverWs(limits.trustedDocuments, sent);
    if (typeof query !== 'string') return [query];
    const params = query === sent.query ? sent : { ...sent, query };
    // graphql-ws lists the socket's operations in progress, this one included, in ctx.subscriptions.
    if (Object.keys(ctx.subscriptions).length > limits.maxSubscriptionsPerSocket) {
      return [
        clientError(
          'TOO_MANY_OPERATIONS',
          `At most ${limits.maxSubscriptionsPerSocket} operations at once on one socket: complete one first.`,
          { limit: limits.maxSubscriptionsPerSocket },
        ),
      ];
    }
    // GraphiQL (Yoga's) sends its Headers editor with each operation, in extensions.headers, over a socket it opened
    // without any: those headers authenticate that operation, and a refused token fails only it.
    let auth = state.auth;
    const operationAuthorization = authorizationParam(headersOf(params.extensions));
    if (operationAuthorization !== undefined) {
      try {
        auth = await authenticate(services, operationAuthorization);
      } catch (err) {
        if (!isDatabaseUnavailable(err)) throw err;
        return [serviceUnavailable()];
      }
      if (auth.authError) return [unauthenticated(auth.authError)];
    }
    // Only what the context is built from: the operation's context lives as long as its subscription (a copy of
    // graphql-ws's context, the upgrade request and the message would too). On the socket's own session, the socket
    // ends with it (ws-sessions.ts), its operations with it.
    const enveloped = yoga.getEnveloped({
      preAuth: auth,
      clientIp: state.clientIp,
      userAgent: state.userAgent,
      requestId: wsOperationId(state.requestId, id),
      sessionEndsSocket: auth === state.auth,
    });
    let document;
    try {
      document = enveloped.parse(params.query);
    } catch (err) {
      if (err instanceof GraphQLError) return [withCode(err)];
      throw err;
    }
    const errors = enveloped.validate(enveloped.schema, document);
    if (errors.length) return errors;
    return {
      schema: enveloped.schema,
      operationName: params.operationName,
      document,
      variableValues: params.variables,
      contextValue: (await enveloped.contextFactory()) as Context,
      rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe },
    };
  };
}
