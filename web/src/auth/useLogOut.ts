import { useApolloClient } from '@apollo/client/react';
import { useCallback } from 'react';
import { useLogOutWith, type LogOutApi, type SendLogOut } from './logOut';

// The signed-in app's log-out: the mutations go through Apollo (over the socket when it is up). The rules are
// logOut.ts's; this module is only loaded with the signed-in app (it brings Apollo).
export { EVERYWHERE_UNREACHABLE, LOG_OUT_TIMEOUT_MS } from './logOut';
export { LogOutEverywhereMutation, LogOutMutation } from './operations';

/** See useLogOutWith (logOut.ts): `forget` drops the session's data on this device right before the token goes. */
export function useLogOut(forget?: () => void): LogOutApi {
  const client = useApolloClient();
  const send = useCallback<SendLogOut>(
    (mutation, signal) => client.mutate({ mutation, context: { fetchOptions: { signal } } }),
    [client],
  );
  return useLogOutWith(send, forget);
}
