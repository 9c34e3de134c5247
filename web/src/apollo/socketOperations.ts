import { ApolloLink } from '@apollo/client';
import type { Client } from 'graphql-ws';
import { OperationTypeNode } from 'graphql';
import { catchError, Observable, Subscription, throwError } from 'rxjs';

/**
 * In front of GraphQLWsLink for queries and mutations sent over the socket
 * (client.ts), so that they behave like HTTP requests:
 *
 * - The socket closes before the answer came (network lost, server restart,
 *   restart after a login): the operation fails with a network error at once.
 *   Left alone, graphql-ws would keep it and send it again on the next socket —
 *   possibly one authenticated as someone else. Callers retry as they retry a
 *   failed fetch (the outbox with the same clientMessageId).
 * - `context.fetchOptions.signal` (what HttpLink honours, e.g. the outbox's
 *   send timeout) aborted: the operation is cancelled on the socket too.
 */
export function createSocketOperationLink(wsClient: Pick<Client, 'on'>): ApolloLink {
  return new ApolloLink((operation, forward) => {
    const signal = (operation.getContext().fetchOptions as { signal?: AbortSignal } | undefined)?.signal;
    return new Observable<ApolloLink.Result>((observer) => {
      let done = false;
      let stopListening = () => {};
      /** The operation on the socket; unsubscribing completes it there (if it is still running). */
      const forwarded = new Subscription();
      const finish = () => {
        done = true;
        stopListening();
        forwarded.unsubscribe();
      };
      const fail = (error: Error) => {
        if (done) return;
        finish();
        observer.error(error);
      };

      if (signal?.aborted) {
        observer.error(abortError(signal));
        return;
      }
      const onAbort = () => fail(abortError(signal));
      const stopOnClose = wsClient.on('closed', (event) => fail(connectionLost(event)));
      signal?.addEventListener('abort', onAbort);
      stopListening = () => {
        stopOnClose();
        signal?.removeEventListener('abort', onAbort);
      };

      // Added to an already closed Subscription (failed meanwhile), it is unsubscribed at once.
      forwarded.add(
        forward(operation).subscribe({
          next: (result) => observer.next(result),
          error: (error) => {
            if (done) return;
            finish();
            observer.error(error);
          },
          complete: () => {
            if (done) return;
            finish();
            observer.complete();
          },
        }),
      );

      return finish;
    });
  });
}

/** The socket closed before the server answered the operation. */
export class SocketClosedError extends Error {
  override name = 'SocketClosedError';
}

function connectionLost(event: unknown): Error {
  const code =
    typeof event === 'object' && event !== null && 'code' in event ? (event as { code: unknown }).code : undefined;
  // Worded like a failed fetch ("network"), so it is shown and retried as one.
  return new SocketClosedError(
    `The network connection was lost before the server answered${code === undefined ? '' : ` (${String(code)})`}.`,
  );
}

/**
 * A query cut off by its socket closing is asked again over `http` at once (a query has nothing to repeat; the page
 * that asked for it need not show an error and a Retry). A mutation still fails: its caller decides (the outbox
 * resends with the same clientMessageId).
 */
export function createQueryHttpFallbackLink(http: ApolloLink): ApolloLink {
  return new ApolloLink((operation, forward) =>
    forward(operation).pipe(
      catchError((error: unknown) =>
        operation.operationType === OperationTypeNode.QUERY && error instanceof SocketClosedError
          ? http.request(operation, forward)
          : throwError(() => error),
      ),
    ),
  );
}

function abortError(signal?: AbortSignal): Error {
  if (signal?.reason instanceof Error) return signal.reason;
  return Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' });
}
