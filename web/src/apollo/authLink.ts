import { SetContextLink } from '@apollo/client/link/context';
import { authorizationHeader, tokenStore } from '../auth/tokenStore';

/** Adds `Authorization: Bearer <token>` to every HTTP operation, read at send time. */
export function createAuthLink() {
  return new SetContextLink((prevContext) => {
    const authorization = authorizationHeader(tokenStore.get());
    if (!authorization) return {};
    return { headers: { ...prevContext.headers, authorization } };
  });
}
