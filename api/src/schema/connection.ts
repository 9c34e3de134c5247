// Relay-style connection types (https://relay.dev/graphql/connections.htm), described for GraphiQL readers.
import type { ObjectRef } from '@pothos/core';
import { builder } from '../builder.ts';
import type { Connection, PageInfo as PageInfoShape } from '../paging.ts';

export const PageInfo = builder.objectRef<PageInfoShape>('PageInfo').implement({
  description: 'Where a page sits in the whole list, and the cursors to fetch the pages around it.',
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage', {
      description: 'True when more items follow this page (fetch them with `first` and `after: endCursor`).',
    }),
    hasPreviousPage: t.exposeBoolean('hasPreviousPage', {
      description: 'True when items precede this page (fetch them with `last` and `before: startCursor`).',
    }),
    startCursor: t.exposeString('startCursor', {
      nullable: true,
      description: 'Cursor of the first item of the page; null when the page is empty.',
    }),
    endCursor: t.exposeString('endCursor', {
      nullable: true,
      description: 'Cursor of the last item of the page; null when the page is empty.',
    }),
  }),
});

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

/** `<Name>Edge` and `<Name>Connection` object types around a node type. */
export function connectionTypes<T>(name: string, node: ObjectRef<Types, T>, nodeDescription: string) {
  const Edge = builder.objectRef<{ cursor: string; node: T }>(`${name}Edge`).implement({
    description: `One ${nodeDescription} in a ${name}Connection, with its cursor.`,
    fields: (t) => ({
      cursor: t.exposeString('cursor', {
        description: 'Opaque position of this item; pass it as `after` or `before` to page from here.',
      }),
      node: t.field({ type: node, description: `The ${nodeDescription}.`, resolve: (edge) => edge.node as never }),
    }),
  });
  const ConnectionRef = builder.objectRef<Connection<T>>(`${name}Connection`).implement({
    description: `A page of ${nodeDescription}s.`,
    fields: (t) => ({
      edges: t.field({ type: [Edge], description: 'The items of this page, in order.', resolve: (c) => c.edges }),
      pageInfo: t.field({ type: PageInfo, description: 'Paging information.', resolve: (c) => c.pageInfo }),
    }),
  });
  return ConnectionRef;
}
