// The one Pothos schema builder: typed context and scalars. Types are plain object refs over the domain's rows
// (chat/types.ts): resolvers read what the domain's statements already loaded, never a lazy relation.
import SchemaBuilder from '@pothos/core';
import type { Context } from './context.ts';

export const builder = new SchemaBuilder<{
  Context: Context;
  DefaultFieldNullability: false;
  // graphql-js always parses ID inputs to strings, whatever the client sent.
  Scalars: { ID: { Input: string; Output: string }; DateTime: { Input: Date; Output: Date | string } };
}>({
  defaultFieldNullability: false,
});
