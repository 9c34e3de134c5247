/** The fields of a user anyone signed in may see (a password hash never leaves users/accounts.ts). */
export type PublicUser = { id: string; username: string; displayName: string };
