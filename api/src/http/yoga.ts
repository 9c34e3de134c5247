// GraphQL over HTTP and SSE at /graphql (Yoga), and the envelop that graphql-ws operations run through too:
// error masking, query limits, CORS and CSRF, the introspection switch, trusted documents, operation log, error codes,
// and who is asking.
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { GraphQLError } from 'graphql';
import { createYoga, maskError as defaultMaskError, type YogaServerInstance } from 'graphql-yoga';
import type { IncomingMessage } from 'node:http';
import {
  authenticate,
  authorizationParam,
  clientIpOf,
  type Authentication,
  type Context,
  type Services,
} from '../context.ts';
import type { OutageReporter } from '../db/outage.ts';
import { serviceUnavailable } from '../errors.ts';
import { withoutMessage, type Logger } from '../logger.ts';
import { schema } from '../schema/index.ts';
import { compiledExecutionPlugin, graphqlJsErrorsPlugin } from './compiled-execution.ts';
import { corsByAllowList } from './cors.ts';
import { csrfPlugin } from './csrf.ts';
import { armorRejects, errorCodesPlugin } from './error-codes.ts';
import { graphiqlOffPlugin, graphiqlOptions, renderGraphiQL } from './graphiql.ts';
import { inputHygienePlugin } from './input-hygiene.ts';
import { metricsPlugin } from './metrics.ts';
import { disableIntrospectionPlugin } from './introspection.ts';
import { operationLogPlugin } from './operation-log.ts';
import { costLimitPlugin, QUERY_LIMITS } from './query-limits.ts';
import { operationNameLogPlugin, requestIdOf } from './request-id.ts';
import { graphiqlUnderCsp } from './security-headers.ts';
import { graphqlSsePlugin } from './sse.ts';
import { streamSessionsPlugin } from './stream-sessions.ts';
import { trustedDocumentsPlugin, type TrustedDocuments } from './trusted-documents.ts';

/** What graphql-ws hands Yoga for an operation: the socket's connectionParams, and the authentication it did. */
export type WsServerContext = {
  connectionParams?: Record<string, unknown>;
  preAuth?: Authentication;
  /** The operation runs on the socket's own session, whose end closes the socket (ws-sessions.ts). */
  sessionEndsSocket?: boolean;
  /** The socket's client address (graphql-ws); HTTP requests carry theirs in `req`. */
  clientIp?: string;
  /** The socket's User-Agent (graphql-ws); HTTP requests carry theirs in their headers. */
  userAgent?: string | null;
  /** The operation's request id over graphql-ws (request-id.ts); HTTP requests carry theirs in X-Request-Id. */
  requestId?: string;
  req?: IncomingMessage;
};
export type ParleyYoga = YogaServerInstance<WsServerContext, Context>;

/** Who may use the API from where, and with what: CORS_ORIGINS, INTROSPECTION, TRUSTED_DOCUMENTS (config.ts). */
export type ApiExposure = { corsOrigins: string[]; introspection: boolean; trustedDocuments: TrustedDocuments };

export function createParleyYoga(
  services: Services,
  outage: OutageReporter,
  trustProxy: boolean,
  exposure: ApiExposure,
): ParleyYoga {
  const { log } = services;
  const graphiql = graphiqlUnderCsp(renderGraphiQL);
  const cors = corsByAllowList(exposure.corsOrigins);
  return createYoga<WsServerContext, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    // TRUSTED_DOCUMENTS=only: GraphiQL could run nothing (graphiql.ts).
    graphiql: exposure.trustedDocuments.mode === 'only' ? false : graphiqlOptions,
    renderGraphiQL: graphiql.render,
    cors: cors.cors,
    // Errors that are not GraphQLErrors (bugs, SQL errors) reach clients as "Unexpected error." only; a database
    // that cannot be reached is SERVICE_UNAVAILABLE, so clients know to retry.
    maskedErrors: {
      maskError: (error, message, isDev) => {
        const original = error instanceof GraphQLError ? error.originalError : error;
        if (outage.report(original)) return serviceUnavailable();
        if (!(original instanceof GraphQLError) && original)
          log.error({ err: withoutMessage(original) }, 'unexpected error');
        return defaultMaskError(error, message, isDev);
      },
      isDev: false,
    },
    logging: yogaLogger(log),
    context: async ({ request, connectionParams, preAuth, clientIp, userAgent: socketAgent, requestId, req }) => {
      // graphql-ws authenticates once per socket (onConnect) or per operation, and passes the result as preAuth.
      const ip = clientIp ?? clientIpOf(req?.socket.remoteAddress, request.headers.get('x-forwarded-for'), trustProxy);
      // Every log line of the operation carries its request id (routes.ts set X-Request-Id on HTTP requests).
      const log = services.log.child({ requestId: requestId ?? requestIdOf(request.headers.get('x-request-id')) });
      const userAgent = socketAgent !== undefined ? socketAgent : request.headers.get('user-agent');
      if (preAuth) return { ...services, ...preAuth, clientIp: ip, userAgent, log };
      const authorization = connectionParams
        ? authorizationParam(connectionParams)
        : request.headers.get('authorization');
      const auth = await authenticate(services, authorization ?? undefined);
      return { ...services, ...auth, clientIp: ip, userAgent, log };
    },
    plugins: [
      // Query limits (query-limits.ts): a document over one is refused before it runs, with QUERY_TOO_COMPLEX
      // (error-codes.ts). The cost is ours, counting the pages first/last ask for; armor's costLimit is off.
      EnvelopArmorPlugin({
        // depth of fields, however many fragments colocate them
        maxDepth: { n: QUERY_LIMITS.maxDepth, flattenFragments: true, ...armorRejects('depth', QUERY_LIMITS.maxDepth) },
        costLimit: { enabled: false },
        maxAliases: { n: QUERY_LIMITS.maxAliases, ...armorRejects('aliases', QUERY_LIMITS.maxAliases) },
        maxDirectives: { n: QUERY_LIMITS.maxDirectives, ...armorRejects('directives', QUERY_LIMITS.maxDirectives) },
        maxTokens: { n: QUERY_LIMITS.maxTokens, ...armorRejects('tokens', QUERY_LIMITS.maxTokens) },
        // "Did you mean …?" would show the schema that INTROSPECTION=off hides.
        blockFieldSuggestion: { enabled: !exposure.introspection },
      }),
      costLimitPlugin({ maxCost: QUERY_LIMITS.maxCost }),
      ...(exposure.introspection ? [] : [disableIntrospectionPlugin()]),
      csrfPlugin(),
      cors.plugin,
      graphiql.plugin,
      ...(exposure.trustedDocuments.mode === 'only' ? [graphiqlOffPlugin()] : []),
      trustedDocumentsPlugin(exposure.trustedDocuments),
      inputHygienePlugin(),
      operationNameLogPlugin(), // before operationLogPlugin, whose line then carries the request id
      operationLogPlugin(),
      graphqlJsErrorsPlugin(), // before errorCodesPlugin, which codes the errors it puts back (compiled-execution.ts)
      errorCodesPlugin(),
      metricsPlugin(), // after errorCodesPlugin: the outcome counted is the code the client sees
      streamSessionsPlugin(), // subscriptions on their own token end with their session (stream-sessions.ts)
      graphqlSsePlugin(services), // graphql-sse's single-connection mode at /graphql/stream (sse.ts)
      compiledExecutionPlugin(), // last: queries and mutations run compiled (compiled-execution.ts)
    ],
  });
}

/**
 * Yoga's own log lines, through pino. Yoga also logs every error it masks, as the GraphQL error — whose text quotes
 * the operation's source, literals (passwords, contents) included. maskError above has already logged what matters
 * (unexpected errors without their message; outages once), so errors are not logged again here.
 */
function yogaLogger(log: Logger) {
  const line = (...parts: unknown[]) => parts.map(String).join(' ');
  return {
    debug: (...a: unknown[]) => log.debug(line(...a)),
    info: (...a: unknown[]) => log.info(line(...a)),
    warn: (...a: unknown[]) => log.warn(line(...a)),
    error: (...a: unknown[]) => {
      if (!a.some((part) => part instanceof Error)) log.error(line(...a));
    },
  };
}
