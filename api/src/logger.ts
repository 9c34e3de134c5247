// One pino logger for the process. Message contents are never logged at info level.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'parley-api' }, redact: ['password', 'token', 'content'] });
}

/**
 * An error for the log without its message: driver and ORM messages quote the values they failed on (a user's
 * input, a message's content). Type, codes and the stack's frames say where it happened.
 */
export function withoutMessage(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { type: typeof err };
  const e = err as Error & { code?: unknown; constraint?: unknown; routine?: unknown };
  return {
    type: e.constructor?.name ?? e.name,
    code: e.code,
    constraint: e.constraint,
    routine: e.routine,
    stack: e.stack
      ?.split('\n')
      .filter((l) => /^\s+at /.test(l))
      .join('\n'),
  };
}
