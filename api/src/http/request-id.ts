// Request ids: every log line of an HTTP request or a WebSocket operation carries one (a child logger in the
// operation's context), and the operation's name. The load balancer's X-Request-Id is kept when it looks like an id
// (HAProxy sets one, deploy/haproxy.cfg); otherwise one is made here. HTTP answers echo it in X-Request-Id.
import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../context.ts';

const ACCEPTABLE = /^[\w.:@/+=-]{1,128}$/;

/** The id the request came with (X-Request-Id), if usable, or a new one. */
export function requestIdOf(header: string | string[] | null | undefined): string {
  const given = Array.isArray(header) ? header[0] : header;
  return given && ACCEPTABLE.test(given) ? given : randomUUID();
}

/** The id of one operation on a socket: the socket's id (its upgrade request's) and graphql-ws's operation id. */
export const wsOperationId = (socketId: string, operationId: string) =>
  `${socketId}/${operationId.length <= 64 ? operationId : operationId.slice(0, 64)}`;

/** Adds the operation's name to its context's logger (which already carries the request id, yoga.ts). */
export function operationNameLogPlugin(): Plugin<Context> {
  const named = ({ args, extendContext }: NamedArgs) => {
    const operation = args.operationName ?? firstOperationName(args.document) ?? 'anonymous';
    extendContext({ log: args.contextValue.log.child({ operation }) });
  };
  return { onExecute: named, onSubscribe: named };
}

type NamedArgs = {
  args: { operationName?: string | null; document: { definitions: readonly unknown[] }; contextValue: Context };
  extendContext: (extension: Partial<Context>) => void;
};

function firstOperationName(document: { definitions: readonly unknown[] }): string | undefined {
  for (const d of document.definitions as { kind: string; name?: { value: string } }[]) {
    if (d.kind === 'OperationDefinition') return d.name?.value;
  }
  return undefined;
}
