import { useMutation } from '@apollo/client/react';
import { useCallback, useEffect, useRef } from 'react';
import { graphql } from '../gql';

export const SetTypingMutation = graphql(`
  mutation SetTyping($withUserId: ID!, $typing: Boolean!) {
    setTyping(withUserId: $withUserId, typing: $typing)
  }
`);

/** While typing, tell the peer again this often (the server lets a `true` lapse ~6 s after the last one). */
export const TYPING_REFRESH_MS = 3_000;
/** No keystroke for this long: stopped typing, even with a draft left. */
export const TYPING_IDLE_MS = 5_000;

/**
 * Tells the peer whether the viewer is typing to them. Call `report(true)` on
 * every change of a non-empty draft and `report(false)` when the draft is
 * emptied, sent, or the composer loses focus: `setTyping(true)` goes out at
 * most every TYPING_REFRESH_MS while typing, `false` once when it stops (also
 * after TYPING_IDLE_MS without a keystroke, and when the conversation closes).
 * Best effort: a failed call is not retried (a `true` lapses by itself).
 */
export function useTypingSender(peerId: string): (typing: boolean) => void {
  const [setTyping] = useMutation(SetTypingMutation, { fetchPolicy: 'no-cache' });
  const state = useRef({ typing: false, sentAt: 0, idle: undefined as ReturnType<typeof setTimeout> | undefined });
  const mutate = useRef(setTyping);
  useEffect(() => {
    mutate.current = setTyping;
  });

  const report = useCallback(
    (typing: boolean) => {
      const s = state.current;
      clearTimeout(s.idle);
      const send = (value: boolean) =>
        void mutate.current({ variables: { withUserId: peerId, typing: value } }).catch(() => undefined);
      const stop = () => {
        if (s.typing) send(false);
        s.typing = false;
      };
      if (!typing) {
        stop();
        return;
      }
      const now = Date.now();
      if (!s.typing || now - s.sentAt >= TYPING_REFRESH_MS) {
        s.typing = true;
        s.sentAt = now;
        send(true);
      }
      s.idle = setTimeout(stop, TYPING_IDLE_MS);
    },
    [peerId],
  );

  // Leaving the conversation (or another peer): stopped.
  useEffect(() => () => report(false), [report]);
  return report;
}
