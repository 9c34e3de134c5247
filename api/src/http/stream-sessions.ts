// A subscription authenticated by its own token — SSE's Authorization (at /graphql and /graphql/stream), a graphql-ws
// operation's extensions.headers — runs only while that session does: sessions.watch (auth/session-watch.ts) ends it
// when the token expires, when the session is ended on any instance, or when its user is deleted. It then sends one
// last result, an UNAUTHENTICATED error naming why, and completes (graphql-ws: `next` then `complete`, and an
// anonymous socket stays open; SSE: a `next` event then `complete`). Subscriptions on a graphql-ws socket's own
// session are left to the socket, which is closed with 4403 instead (ws-sessions.ts).
import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { SESSION_END_MESSAGES, type SessionEnd } from '../auth/session-watch.ts';
import type { Context } from '../context.ts';
import { unauthenticated } from '../errors.ts';

export function streamSessionsPlugin(): Plugin {
  return {
    onSubscribe({ args }) {
      const context = args.contextValue as Partial<Context> & { sessionEndsSocket?: boolean };
      const { session, sessions } = context;
      if (!session || !sessions || context.sessionEndsSocket) return;
      return {
        onSubscribeResult({ result, setResult }) {
          if (!isAsyncIterable(result)) return;
          setResult(untilSessionEnds(result, (end) => sessions.watch(session, end)));
        },
      };
    },
  };
}

const isAsyncIterable = (value: unknown): value is AsyncIterable<ExecutionResult> =>
  typeof (value as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === 'function';

type Step = IteratorResult<ExecutionResult, undefined>;
/** What graphql-ws and graphql-sse need of a subscription's results: an async generator's shape. */
type Results = AsyncIterableIterator<ExecutionResult, undefined> & {
  return(value?: unknown): Promise<Step>;
  throw(err: unknown): Promise<Step>;
};

/** `source`, until `watch` calls its end: then one result with the error, and done. */
function untilSessionEnds(
  source: AsyncIterable<ExecutionResult>,
  watch: (end: (why: SessionEnd) => void) => { stop(): void },
): Results {
  const iterator = source[Symbol.asyncIterator]();
  let ended: SessionEnd | undefined;
  let done = false;
  /** The pending next() of the consumer, answered by the source or by the end, whichever comes first. */
  let waiting: ((result: Step) => void) | undefined;
  const finish = (): Step => {
    const why = ended!;
    done = true;
    void Promise.resolve(iterator.return?.()).catch(() => {});
    return { done: false, value: { errors: [unauthenticated(SESSION_END_MESSAGES[why])] } };
  };
  const watched = watch((why) => {
    ended = why;
    const resolve = waiting;
    waiting = undefined;
    resolve?.(finish());
  });
  const stop = (): Step => {
    done = true;
    watched.stop();
    return { done: true, value: undefined };
  };
  const generator: Results = {
    [Symbol.asyncIterator]: () => generator,
    next: () => {
      if (done) return Promise.resolve({ done: true, value: undefined });
      if (ended) return Promise.resolve(finish());
      return new Promise((resolve, reject) => {
        waiting = resolve;
        iterator.next().then(
          (result) => {
            if (waiting !== resolve) return; // the session ended first
            waiting = undefined;
            resolve(result.done ? stop() : result);
          },
          (err: unknown) => {
            if (waiting !== resolve) return;
            waiting = undefined;
            stop();
            reject(err);
          },
        );
      });
    },
    return: async () => {
      const result = stop();
      await iterator.return?.();
      return result;
    },
    throw: async (err: unknown) => {
      stop();
      if (iterator.throw) await iterator.throw(err);
      throw err;
    },
  };
  return generator;
}
