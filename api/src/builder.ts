// The one Pothos schema builder: typed context and scalars, and sign-in. Types are plain object refs over the
// domain's rows (chat/types.ts): resolvers read what the domain's statements already loaded, never a lazy relation.
//
// Sign-in is decided here, once: every field of Query, Mutation and Subscription requires it (Pothos's scope-auth
// plugin, the root types' `signedIn` scope, checked before the resolver runs and, for a subscription, before it
// subscribes), unless the field opts out with `skipTypeScopes: true` (signUp, logIn, me). A new field cannot forget
// it. The UNAUTHENTICATED error and the sentence that ends such a field's description come from here too.
import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import type { Context } from './context.ts';
import { unauthenticated } from './errors.ts';

/** Appended to the description of every field that requires sign-in. */
export const SIGN_IN_SENTENCE = 'Requires sign-in.';

/** The error of a field that requires sign-in, asked without a valid token: why the token was refused, if one was. */
export const signInError = (ctx: Context) => unauthenticated(ctx.authError ?? undefined);

const ROOT_KINDS = new Set(['Query', 'Mutation', 'Subscription']);
/** Whether a field requires sign-in: a root field that has not opted out. */
const requiresSignIn = (field: PothosOutputFieldConfig<SchemaTypes>) =>
  ROOT_KINDS.has(field.kind) && !(field.pothosOptions as { skipTypeScopes?: boolean }).skipTypeScopes;

/** Ends the description of each field that requires sign-in with SIGN_IN_SENTENCE. */
class SignInDescriptionPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override onOutputFieldConfig(field: PothosOutputFieldConfig<Types>) {
    if (!requiresSignIn(field as PothosOutputFieldConfig<SchemaTypes>)) return field;
    return { ...field, description: field.description ? `${field.description} ${SIGN_IN_SENTENCE}` : SIGN_IN_SENTENCE };
  }
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Pothos's plugin registry is a global namespace
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      signInDescription: SignInDescriptionPlugin<Types>;
    }
  }
}
SchemaBuilder.registerPlugin('signInDescription', SignInDescriptionPlugin);

export const builder = new SchemaBuilder<{
  Context: Context;
  DefaultFieldNullability: false;
  // graphql-js always parses ID inputs to strings, whatever the client sent.
  Scalars: { ID: { Input: string; Output: string }; DateTime: { Input: Date; Output: Date | string } };
  AuthScopes: { signedIn: boolean };
}>({
  defaultFieldNullability: false,
  plugins: [ScopeAuthPlugin, 'signInDescription'],
  scopeAuth: {
    authScopes: (ctx) => ({ signedIn: ctx.viewer !== null }),
    unauthorizedError: (_parent, ctx) => signInError(ctx),
    // A subscription is refused when it starts, not event by event (its subscribe reads the viewer).
    authorizeOnSubscribe: true,
  },
});

/** The root types' scope: what makes their fields require sign-in (schema/index.ts). */
export const SIGNED_IN = { signedIn: true } as const;

/**
 * The signed-in user, in a field that requires sign-in: the scope has refused everyone else before the resolver
 * runs, so this only gives the viewer its type. Reached without one (a field that opted out and reads the viewer),
 * it is a bug, not a client error.
 */
export function viewerOf(ctx: Context) {
  if (!ctx.viewer) throw new Error('viewerOf: a field that requires sign-in ran without a viewer');
  return ctx.viewer;
}
