// The GraphQL schema, assembled from the domain modules.
import { builder } from '../builder.ts';
import './scalars.ts';
import './user.ts';
import './auth.ts';
import './message.ts';
import './conversation.ts';

builder.queryType({ description: 'Reading: who you are, people, and conversation history.' });
builder.mutationType({ description: 'Accounts, messages, reads and typing.' });
builder.subscriptionType({ description: 'Live events over graphql-ws (WebSocket) or SSE on /graphql.' });

export const schema = builder.toSchema({ sortSchema: false });
