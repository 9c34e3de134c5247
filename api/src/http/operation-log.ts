// One log line per GraphQL operation: name, type, duration, user and error codes — never variables or contents.
// It is written with the operation's own logger (its context's), which carries the request id (request-id.ts).
import type { OperationDefinitionNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../context.ts';

export function operationLogPlugin(): Plugin<Context> {
  return {
    onExecute({ args }) {
      const started = performance.now();
      const op = args.document.definitions.find((d: { kind: string }) => d.kind === 'OperationDefinition') as
        OperationDefinitionNode | undefined;
      // The context's logger already names the operation (request-id.ts).
      const log = args.contextValue.log;
      const fields = { type: op?.operation, userId: args.contextValue.viewer?.id };
      return {
        onExecuteDone({ result }) {
          const errors = 'errors' in result && result.errors ? result.errors : [];
          const codes = errors.map((e) => (e.extensions?.code as string | undefined) ?? 'INTERNAL_SERVER_ERROR');
          log.info(
            { ...fields, ms: Math.round(performance.now() - started), errors: codes.length ? codes : undefined },
            'graphql',
          );
        },
      };
    },
    onSubscribe({ args }) {
      args.contextValue.log.info({ type: 'subscription', userId: args.contextValue.viewer?.id }, 'graphql subscribe');
    },
  };
}
