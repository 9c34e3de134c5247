// One warning per database outage, not one error line (with a driver stack) per failed request: the first failure
// that means "unreachable" starts an episode and is logged; the next success ends it and says so.
import { isDatabaseUnavailable } from '../errors.ts';
import type { Logger } from '../logger.ts';

export type OutageReporter = {
  /** Reports `err` when it means the database is unavailable (once per episode); true when it did. */
  report(err: unknown): boolean;
  /** Awaits `work`, noting whether the database answered. */
  watch<T>(work: Promise<T>): Promise<T>;
};

export function createOutageReporter(log: Logger): OutageReporter {
  let down = false;
  const report = (err: unknown) => {
    if (!isDatabaseUnavailable(err)) return false;
    if (!down) {
      down = true;
      log.warn({ err: describe(err) }, 'database unavailable: answering SERVICE_UNAVAILABLE until it is back');
    }
    return true;
  };
  return {
    report,
    watch: async (work) => {
      try {
        const result = await work;
        if (down) {
          down = false;
          log.info('database available again');
        }
        return result;
      } catch (err) {
        report(err);
        throw err;
      }
    },
  };
}

/** The message and SQLSTATE of the innermost cause: enough to tell outages apart, without a stack. */
function describe(err: unknown): { message: string; code?: string } {
  let e = err as { message?: string; code?: string; cause?: unknown };
  while (e.cause && typeof e.cause === 'object') e = e.cause as typeof e;
  return { message: String(e.message ?? err), code: typeof e.code === 'string' ? e.code : undefined };
}
