// One pino logger for the process. Message contents are never logged at info level.
import { pino, type Logger } from 'pino';

export type { Logger };

/** What the log may hold back when its reader is slower than the server writes (then lines are dropped). */
const MAX_BUFFERED_LOG = 16 * 1024 * 1024;

/**
 * Written asynchronously: a reader that falls behind (a log shipper, a pipe to a busy process) must never stall the
 * server. pino's default writes synchronously and, on a full pipe, waits in 100 ms steps with the event loop blocked:
 * an instance taking over 1,500 sockets behind a slow reader stopped answering its health checks for 10 s, and the
 * balancer took it out. What is buffered is written out on exit (pino flushes it).
 */
export function createLogger(level: string): Logger {
  return pino(
    { level, base: { service: 'parley-api' }, redact: ['password', 'token', 'content'] },
    level === 'silent' ? undefined : pino.destination({ dest: 1, sync: false, maxLength: MAX_BUFFERED_LOG }),
  );
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
