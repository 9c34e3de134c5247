// /metrics in the Prometheus text format (registry in metrics/registry.ts), and the envelop plugin that feeds the
// GraphQL series. Not public: on the main port it answers only `Authorization: Bearer $METRICS_TOKEN` (404 while
// METRICS_TOKEN is unset); METRICS_PORT serves it on an internal port of its own as well, without a token.
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { OperationDefinitionNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../context.ts';
import {
  activeSubscriptions,
  messagesDelivered,
  messagesStored,
  operations,
  operationSeconds,
  registry,
  subscriptionEvents,
  throttled,
} from '../metrics/registry.ts';

function writeMetrics(res: ServerResponse) {
  registry.metrics().then(
    (text) => {
      res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
      res.end(text);
    },
    () => {
      res.writeHead(500).end();
    },
  );
}

const sameSecret = (given: string, expected: Buffer) => {
  const buffer = Buffer.from(given);
  return buffer.length === expected.length && timingSafeEqual(buffer, expected);
};

/** /metrics on the main port: 404 without METRICS_TOKEN, 401 without the right bearer token. */
export function metricsRoute(token: string | undefined) {
  const expected = token ? Buffer.from(`Bearer ${token}`) : null;
  return (req: IncomingMessage, res: ServerResponse) => {
    if (!expected) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    if (!sameSecret(req.headers.authorization ?? '', expected)) {
      return void res
        .writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer realm="metrics"' })
        .end('Unauthorized');
    }
    writeMetrics(res);
  };
}

/** METRICS_PORT: /metrics alone, without a token, for a scraper on the internal network. */
export function listenMetrics(port: number, host: string): Promise<Server> {
  const server = createServer((req, res) => {
    if ((req.url ?? '/').split('?')[0] === '/metrics' && req.method === 'GET') return writeMetrics(res);
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

function operationOf(args: { document: { definitions: readonly { kind: string }[] }; operationName?: string | null }) {
  const op = args.document.definitions.find((d) => d.kind === 'OperationDefinition') as
    OperationDefinitionNode | undefined;
  const first = op?.selectionSet.selections[0];
  return {
    name: args.operationName ?? op?.name?.value ?? 'anonymous',
    type: op?.operation ?? 'unknown',
    field: first?.kind === 'Field' ? first.name.value : 'unknown',
  };
}

/** Operations by name and outcome, their latency, subscriptions by root field and the events they deliver. */
export function metricsPlugin(): Plugin<Context> {
  return {
    onExecute({ args }) {
      const started = performance.now();
      const op = operationOf(args);
      return {
        onExecuteDone({ result }) {
          const errors = 'errors' in result && result.errors ? result.errors : [];
          const code = errors.length
            ? ((errors[0].extensions?.code as string | undefined) ?? 'INTERNAL_SERVER_ERROR')
            : 'OK';
          operations.inc({ operation: op.name, type: op.type, code });
          operationSeconds.observe({ operation: op.name, type: op.type }, (performance.now() - started) / 1000);
          if (code === 'RATE_LIMITED') throttled.inc({ operation: op.name });
          const data = 'data' in result ? (result.data as Record<string, unknown> | null | undefined) : undefined;
          if (op.type === 'mutation' && data?.sendMessage) messagesStored.inc();
        },
      };
    },
    onSubscribe({ args }) {
      const { field } = operationOf(args);
      return {
        onSubscribeResult({ result }) {
          if (!(Symbol.asyncIterator in result)) return; // refused before it started: an error result
          activeSubscriptions.inc({ field });
          let ended = false;
          return {
            onNext({ result: event }) {
              subscriptionEvents.inc({ field });
              if (field === 'messageAdded' && event.data?.messageAdded) messagesDelivered.inc();
            },
            onEnd() {
              if (ended) return;
              ended = true;
              activeSubscriptions.dec({ field });
            },
          };
        },
      };
    },
  };
}
