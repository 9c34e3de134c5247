import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { useCallback, useRef, useState } from 'react';
import { LogOutDocument, LogOutEverywhereDocument } from '../gql/graphql';
import { describeError, isUnavailableError } from '../shared/errors';
import { TimeoutError, withTimeout } from '../shared/withTimeout';
import { authRequest } from './authRequest';
import { useSession } from './session';
import { tokenStore } from './tokenStore';

/** How long a log-out waits for the server before it gives up on it. */
export const LOG_OUT_TIMEOUT_MS = 8_000;

export const EVERYWHERE_UNREACHABLE = 'Could not reach the server: your other devices are still signed in.';

export type LogOutOperation = typeof LogOutDocument | typeof LogOutEverywhereDocument;
/** Sends one of the two mutations; resolves when the server has answered, rejects with what went wrong. */
export type SendLogOut = (mutation: LogOutOperation, signal: AbortSignal) => Promise<unknown>;

type Busy = 'logOut' | 'logOutEverywhere' | null;

export interface LogOutApi {
  /**
   * Ends this session on the server (its token is refused from then on), then
   * signs out here. When the server cannot be reached it signs out here all
   * the same: the session then lapses at its expiry.
   */
  logOut(): Promise<void>;
  /**
   * Ends every session of the user (every device), then signs out here. When
   * that fails this device stays signed in and `error` says so.
   */
  logOutEverywhere(): Promise<void>;
  /** Which of the two is waiting for the server. */
  busy: Busy;
  /** Why logOutEverywhere did not happen; null otherwise. */
  error: string | null;
}

/**
 * Logging out, on this device or everywhere, whichever way the mutations go:
 * `send` is Apollo's in the signed-in app (auth/useLogOut.ts), plain HTTP
 * before it is loaded (useLogOutOverHttp). `forget` drops what belongs to the
 * session on this device besides the token (the outbox, remembered names:
 * features above this layer), right before the token goes.
 *
 * The server closes the sockets of an ended session with 4403 at once, so a
 * mutation that went over the socket loses its answer: the session was ended
 * all the same, which shows as the token already gone here (wsClient dropped
 * it on that close; tokenStore.endingSession() makes that a log-out, not an
 * expiry).
 */
export function useLogOutWith(send: SendLogOut, forget?: () => void): LogOutApi {
  const { signOut } = useSession();
  const [busy, setBusy] = useState<Busy>(null);
  const [error, setError] = useState<string | null>(null);
  /** One at a time (a double click must not send twice). */
  const running = useRef(false);

  /** Sends one of the two mutations; resolves to the error, if any. */
  const ask = useCallback(
    async (mutation: LogOutOperation): Promise<unknown> => {
      try {
        await withTimeout(LOG_OUT_TIMEOUT_MS, (signal) => send(mutation, signal));
        return undefined;
      } catch (failure) {
        return failure;
      }
    },
    [send],
  );

  const signOutHere = useCallback(() => {
    forget?.();
    signOut();
  }, [forget, signOut]);

  const logOut = useCallback(async () => {
    if (running.current) return;
    running.current = true;
    setBusy('logOut');
    setError(null);
    const release = tokenStore.endingSession();
    try {
      // Whatever the answer: unreachable, the session lapses at its expiry.
      await ask(LogOutDocument);
      signOutHere();
    } finally {
      release();
      running.current = false;
      setBusy(null);
    }
  }, [ask, signOutHere]);

  const logOutEverywhere = useCallback(async () => {
    if (running.current) return;
    running.current = true;
    setBusy('logOutEverywhere');
    setError(null);
    const token = tokenStore.get();
    const release = tokenStore.endingSession();
    try {
      const failure = await ask(LogOutEverywhereDocument);
      // Our session was ended meanwhile (the socket the request went on was
      // closed for it, or the server refused the token): everything was.
      const ended = tokenStore.get() !== token;
      if (!failure || ended) {
        signOutHere();
        return;
      }
      setError(
        isUnavailableError(failure) || failure instanceof TimeoutError
          ? EVERYWHERE_UNREACHABLE
          : `${describeError(failure)} Your other devices are still signed in.`,
      );
    } finally {
      release();
      running.current = false;
      setBusy(null);
    }
  }, [ask, signOutHere]);

  return { logOut, logOutEverywhere, busy, error };
}

const overHttp: SendLogOut = (mutation, signal) =>
  authRequest(mutation as TypedDocumentNode<unknown, Record<string, never>>, { signal });

/** Logging out before the signed-in app is loaded (the "could not reach parley" screen): over plain HTTP. */
export function useLogOutOverHttp(forget?: () => void): LogOutApi {
  return useLogOutWith(overHttp, forget);
}
