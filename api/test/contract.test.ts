// The committed contract: schema.graphql equals what Pothos builds, and everything in it is described.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isInputObjectType, isInterfaceType, isObjectType, printSchema } from 'graphql';
import { ROOT_DIR } from '../src/paths.ts';
import { schema } from '../src/schema/index.ts';

test('schema.graphql is up to date (run `npm run schema:print` after changing the schema)', async () => {
  const committed = await readFile(path.join(ROOT_DIR, 'schema.graphql'), 'utf8');
  expect(committed.replace(/^#.*\n\n/, '')).toBe(printSchema(schema) + '\n');
});

test('every type, field and argument has a description', () => {
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)) continue;
    if (!type.description) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!field.description) missing.push(`${type.name}.${field.name}`);
        for (const arg of 'args' in field ? field.args : []) {
          if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
    }
  }
  expect(missing).toEqual([]);
});

test('the contract has the operations and nullability the clients build against', () => {
  const sdl = printSchema(schema)
    .replace(/"""[\s\S]*?"""\s*/g, '')
    .replace(/\s+/g, ' ');
  for (const signature of [
    'me: User',
    'users( search: String first: Int after: String ): UserConnection!',
    'chatHistory( withUserId: ID! first: Int after: String last: Int before: String ): MessageConnection!',
    'signUp( username: String! password: String! displayName: String ): AuthPayload!',
    'logIn( username: String! password: String! ): AuthPayload!',
    'sendMessage( recipientId: ID! content: String! clientMessageId: String attachmentIds: [ID!] replyToId: ID ): Message!',
    'editMessage( id: ID! content: String! ): Message!',
    'deleteMessage( id: ID! ): Message!',
    'addReaction( messageId: ID! emoji: String! ): Message!',
    'removeReaction( messageId: ID! emoji: String! ): Message!',
    'messageUpdated( withUserId: ID after: String ): Message!',
    'type Reaction { emoji: String! count: Int! reactedByMe: Boolean! }',
    'editedAt: DateTime deletedAt: DateTime replyTo: Message reactions: [Reaction!]! updateCursor: String',
    'markRead( senderId: ID! upToMessageId: ID ): MarkReadPayload!',
    'edges: [MessageEdge!]!',
    'readAt: DateTime',
    'createdAt: DateTime!',
  ]) {
    expect(sdl).toContain(signature);
  }
  expect(sdl).toMatch(/messageAdded\( withUserId: ID [^)]*\): Message!/);
});
