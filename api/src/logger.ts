// One pino logger for the process. Message contents are never logged at info level.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'parley-api' }, redact: ['password', 'token', 'content'] });
}
