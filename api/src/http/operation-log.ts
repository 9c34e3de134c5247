// One log line per GraphQL operation: name, type, duration, user and error codes — never variables or contents.
import type { OperationDefinitionNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../context.ts';
import type { Logger } from '../logger.ts';

export function operationLogPlugin(log: Logger): Plugin<Context> {
  return {
    onExecute({ args }) {
      const started = performance.now();
      const op = args.document.definitions.find((d: { kind: string }) => d.kind === 'OperationDefinition') as
        OperationDefinitionNode | undefined;
      const fields = {
        operation: args.operationName ?? op?.name?.value ?? 'anonymous',
        type: op?.operation,
        userId: args.contextValue.viewer?.id,
      };
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
      log.info(
        { operation: args.operationName ?? 'anonymous', type: 'subscription', userId: args.contextValue.viewer?.id },
        'graphql subscribe',
      );
    },
  };
}
