/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Me {\n    me {\n      id\n      username\n      displayName\n    }\n  }\n": typeof types.MeDocument,
    "\n  mutation LogIn($username: String!, $password: String!) {\n    logIn(username: $username, password: $password) {\n      token\n      user {\n        id\n        username\n        displayName\n      }\n    }\n  }\n": typeof types.LogInDocument,
    "\n  mutation SignUp($username: String!, $password: String!, $displayName: String) {\n    signUp(username: $username, password: $password, displayName: $displayName) {\n      token\n      user {\n        id\n        username\n        displayName\n      }\n    }\n  }\n": typeof types.SignUpDocument,
    "\n  mutation LogOut {\n    logOut\n  }\n": typeof types.LogOutDocument,
    "\n  mutation LogOutEverywhere {\n    logOutEverywhere\n  }\n": typeof types.LogOutEverywhereDocument,
    "\n  fragment ConversationHeader_user on User {\n    id\n    username\n    displayName\n  }\n": typeof types.ConversationHeader_UserFragmentDoc,
    "\n  fragment ConversationView_message on Message {\n    id\n    # Where a resumed subscription continues after this message (same as its history edge cursor).\n    cursor\n    readAt\n    sender {\n      id\n      # Lets the header name the peer after a cold reload (User:<id> in cache).\n      ...ConversationHeader_user\n    }\n    ...MessageList_message\n  }\n": typeof types.ConversationView_MessageFragmentDoc,
    "\n  query ChatHistory($withUserId: ID!, $last: Int, $before: String) {\n    chatHistory(withUserId: $withUserId, last: $last, before: $before) {\n      edges {\n        cursor\n        node {\n          id\n          ...ConversationView_message\n        }\n      }\n      pageInfo {\n        hasPreviousPage\n        hasNextPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n": typeof types.ChatHistoryDocument,
    "\n  fragment MessageBubble_message on Message {\n    id\n    content\n    createdAt\n    readAt\n  }\n": typeof types.MessageBubble_MessageFragmentDoc,
    "\n  fragment MessageList_message on Message {\n    id\n    clientMessageId\n    createdAt\n    content\n    sender {\n      id\n    }\n    ...MessageBubble_message\n  }\n": typeof types.MessageList_MessageFragmentDoc,
    "\n  mutation SendMessage($recipientId: ID!, $content: String!, $clientMessageId: String) {\n    sendMessage(recipientId: $recipientId, content: $content, clientMessageId: $clientMessageId) {\n      id\n      clientMessageId\n      ...ConversationView_message\n    }\n  }\n": typeof types.SendMessageDocument,
    "\n  mutation MarkRead($senderId: ID!, $upToMessageId: ID) {\n    markRead(senderId: $senderId, upToMessageId: $upToMessageId) {\n      count\n      readAt\n    }\n  }\n": typeof types.MarkReadDocument,
    "\n  subscription MessageAdded($withUserId: ID, $after: String) {\n    messageAdded(withUserId: $withUserId, after: $after) {\n      id\n      clientMessageId\n      cursor\n      sender {\n        id\n      }\n      recipient {\n        id\n      }\n      ...ConversationView_message\n    }\n  }\n": typeof types.MessageAddedDocument,
    "\n  subscription ConversationTyping($withUserId: ID!) {\n    typing(withUserId: $withUserId) {\n      typing\n    }\n  }\n": typeof types.ConversationTypingDocument,
    "\n  query ConversationRead($withUserId: ID!) {\n    conversation(withUserId: $withUserId) {\n      id\n      peerLastRead {\n        id\n        createdAt\n      }\n    }\n  }\n": typeof types.ConversationReadDocument,
    "\n  subscription ConversationMessagesRead($withUserId: ID!) {\n    messagesRead(withUserId: $withUserId) {\n      conversation {\n        id\n        peerLastRead {\n          id\n          createdAt\n        }\n      }\n    }\n  }\n": typeof types.ConversationMessagesReadDocument,
    "\n  mutation SetTyping($withUserId: ID!, $typing: Boolean!) {\n    setTyping(withUserId: $withUserId, typing: $typing)\n  }\n": typeof types.SetTypingDocument,
    "\n  fragment InboxRow_conversation on Conversation {\n    id\n    unreadCount\n    lastActivityAt\n    peer {\n      id\n      username\n      displayName\n    }\n    lastMessage {\n      id\n      content\n      createdAt\n      sender {\n        id\n      }\n    }\n  }\n": typeof types.InboxRow_ConversationFragmentDoc,
    "\n  query UnreadCount {\n    unreadCount\n  }\n": typeof types.UnreadCountDocument,
    "\n  subscription ConversationUpdated {\n    conversationUpdated {\n      id\n      unreadCount\n      lastActivityAt\n      peer {\n        id\n        displayName\n      }\n      lastMessage {\n        id\n        content\n        sender {\n          id\n        }\n      }\n      ...InboxRow_conversation\n    }\n  }\n": typeof types.ConversationUpdatedDocument,
    "\n  query Inbox($first: Int, $after: String) {\n    conversations(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          ...InboxRow_conversation\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n    unreadCount\n  }\n": typeof types.InboxDocument,
    "\n  subscription InboxTyping($withUserId: ID!) {\n    typing(withUserId: $withUserId) {\n      typing\n    }\n  }\n": typeof types.InboxTypingDocument,
    "\n  fragment UserListItem_user on User {\n    id\n    username\n    displayName\n  }\n": typeof types.UserListItem_UserFragmentDoc,
    "\n  query SearchUsers($search: String, $first: Int) {\n    users(search: $search, first: $first) {\n      edges {\n        cursor\n        node {\n          id\n          ...UserListItem_user\n        }\n      }\n    }\n  }\n": typeof types.SearchUsersDocument,
};
const documents: Documents = {
    "\n  query Me {\n    me {\n      id\n      username\n      displayName\n    }\n  }\n": types.MeDocument,
    "\n  mutation LogIn($username: String!, $password: String!) {\n    logIn(username: $username, password: $password) {\n      token\n      user {\n        id\n        username\n        displayName\n      }\n    }\n  }\n": types.LogInDocument,
    "\n  mutation SignUp($username: String!, $password: String!, $displayName: String) {\n    signUp(username: $username, password: $password, displayName: $displayName) {\n      token\n      user {\n        id\n        username\n        displayName\n      }\n    }\n  }\n": types.SignUpDocument,
    "\n  mutation LogOut {\n    logOut\n  }\n": types.LogOutDocument,
    "\n  mutation LogOutEverywhere {\n    logOutEverywhere\n  }\n": types.LogOutEverywhereDocument,
    "\n  fragment ConversationHeader_user on User {\n    id\n    username\n    displayName\n  }\n": types.ConversationHeader_UserFragmentDoc,
    "\n  fragment ConversationView_message on Message {\n    id\n    # Where a resumed subscription continues after this message (same as its history edge cursor).\n    cursor\n    readAt\n    sender {\n      id\n      # Lets the header name the peer after a cold reload (User:<id> in cache).\n      ...ConversationHeader_user\n    }\n    ...MessageList_message\n  }\n": types.ConversationView_MessageFragmentDoc,
    "\n  query ChatHistory($withUserId: ID!, $last: Int, $before: String) {\n    chatHistory(withUserId: $withUserId, last: $last, before: $before) {\n      edges {\n        cursor\n        node {\n          id\n          ...ConversationView_message\n        }\n      }\n      pageInfo {\n        hasPreviousPage\n        hasNextPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n": types.ChatHistoryDocument,
    "\n  fragment MessageBubble_message on Message {\n    id\n    content\n    createdAt\n    readAt\n  }\n": types.MessageBubble_MessageFragmentDoc,
    "\n  fragment MessageList_message on Message {\n    id\n    clientMessageId\n    createdAt\n    content\n    sender {\n      id\n    }\n    ...MessageBubble_message\n  }\n": types.MessageList_MessageFragmentDoc,
    "\n  mutation SendMessage($recipientId: ID!, $content: String!, $clientMessageId: String) {\n    sendMessage(recipientId: $recipientId, content: $content, clientMessageId: $clientMessageId) {\n      id\n      clientMessageId\n      ...ConversationView_message\n    }\n  }\n": types.SendMessageDocument,
    "\n  mutation MarkRead($senderId: ID!, $upToMessageId: ID) {\n    markRead(senderId: $senderId, upToMessageId: $upToMessageId) {\n      count\n      readAt\n    }\n  }\n": types.MarkReadDocument,
    "\n  subscription MessageAdded($withUserId: ID, $after: String) {\n    messageAdded(withUserId: $withUserId, after: $after) {\n      id\n      clientMessageId\n      cursor\n      sender {\n        id\n      }\n      recipient {\n        id\n      }\n      ...ConversationView_message\n    }\n  }\n": types.MessageAddedDocument,
    "\n  subscription ConversationTyping($withUserId: ID!) {\n    typing(withUserId: $withUserId) {\n      typing\n    }\n  }\n": types.ConversationTypingDocument,
    "\n  query ConversationRead($withUserId: ID!) {\n    conversation(withUserId: $withUserId) {\n      id\n      peerLastRead {\n        id\n        createdAt\n      }\n    }\n  }\n": types.ConversationReadDocument,
    "\n  subscription ConversationMessagesRead($withUserId: ID!) {\n    messagesRead(withUserId: $withUserId) {\n      conversation {\n        id\n        peerLastRead {\n          id\n          createdAt\n        }\n      }\n    }\n  }\n": types.ConversationMessagesReadDocument,
    "\n  mutation SetTyping($withUserId: ID!, $typing: Boolean!) {\n    setTyping(withUserId: $withUserId, typing: $typing)\n  }\n": types.SetTypingDocument,
    "\n  fragment InboxRow_conversation on Conversation {\n    id\n    unreadCount\n    lastActivityAt\n    peer {\n      id\n      username\n      displayName\n    }\n    lastMessage {\n      id\n      content\n      createdAt\n      sender {\n        id\n      }\n    }\n  }\n": types.InboxRow_ConversationFragmentDoc,
    "\n  query UnreadCount {\n    unreadCount\n  }\n": types.UnreadCountDocument,
    "\n  subscription ConversationUpdated {\n    conversationUpdated {\n      id\n      unreadCount\n      lastActivityAt\n      peer {\n        id\n        displayName\n      }\n      lastMessage {\n        id\n        content\n        sender {\n          id\n        }\n      }\n      ...InboxRow_conversation\n    }\n  }\n": types.ConversationUpdatedDocument,
    "\n  query Inbox($first: Int, $after: String) {\n    conversations(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          ...InboxRow_conversation\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n    unreadCount\n  }\n": types.InboxDocument,
    "\n  subscription InboxTyping($withUserId: ID!) {\n    typing(withUserId: $withUserId) {\n      typing\n    }\n  }\n": types.InboxTypingDocument,
    "\n  fragment UserListItem_user on User {\n    id\n    username\n    displayName\n  }\n": types.UserListItem_UserFragmentDoc,
    "\n  query SearchUsers($search: String, $first: Int) {\n    users(search: $search, first: $first) {\n      edges {\n        cursor\n        node {\n          id\n          ...UserListItem_user\n        }\n      }\n    }\n  }\n": types.SearchUsersDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      id\n      username\n      displayName\n    }\n  }\n"): (typeof documents)["\n  query Me {\n    me {\n      id\n      username\n      displayName\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogIn($username: String!, $password: String!) {\n    logIn(username: $username, password: $password) {\n      token\n      user {\n        id\n        username\n        displayName\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation LogIn($username: String!, $password: String!) {\n    logIn(username: $username, password: $password) {\n      token\n      user {\n        id\n        username\n        displayName\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignUp($username: String!, $password: String!, $displayName: String) {\n    signUp(username: $username, password: $password, displayName: $displayName) {\n      token\n      user {\n        id\n        username\n        displayName\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SignUp($username: String!, $password: String!, $displayName: String) {\n    signUp(username: $username, password: $password, displayName: $displayName) {\n      token\n      user {\n        id\n        username\n        displayName\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogOut {\n    logOut\n  }\n"): (typeof documents)["\n  mutation LogOut {\n    logOut\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogOutEverywhere {\n    logOutEverywhere\n  }\n"): (typeof documents)["\n  mutation LogOutEverywhere {\n    logOutEverywhere\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ConversationHeader_user on User {\n    id\n    username\n    displayName\n  }\n"): (typeof documents)["\n  fragment ConversationHeader_user on User {\n    id\n    username\n    displayName\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ConversationView_message on Message {\n    id\n    # Where a resumed subscription continues after this message (same as its history edge cursor).\n    cursor\n    readAt\n    sender {\n      id\n      # Lets the header name the peer after a cold reload (User:<id> in cache).\n      ...ConversationHeader_user\n    }\n    ...MessageList_message\n  }\n"): (typeof documents)["\n  fragment ConversationView_message on Message {\n    id\n    # Where a resumed subscription continues after this message (same as its history edge cursor).\n    cursor\n    readAt\n    sender {\n      id\n      # Lets the header name the peer after a cold reload (User:<id> in cache).\n      ...ConversationHeader_user\n    }\n    ...MessageList_message\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ChatHistory($withUserId: ID!, $last: Int, $before: String) {\n    chatHistory(withUserId: $withUserId, last: $last, before: $before) {\n      edges {\n        cursor\n        node {\n          id\n          ...ConversationView_message\n        }\n      }\n      pageInfo {\n        hasPreviousPage\n        hasNextPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query ChatHistory($withUserId: ID!, $last: Int, $before: String) {\n    chatHistory(withUserId: $withUserId, last: $last, before: $before) {\n      edges {\n        cursor\n        node {\n          id\n          ...ConversationView_message\n        }\n      }\n      pageInfo {\n        hasPreviousPage\n        hasNextPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MessageBubble_message on Message {\n    id\n    content\n    createdAt\n    readAt\n  }\n"): (typeof documents)["\n  fragment MessageBubble_message on Message {\n    id\n    content\n    createdAt\n    readAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MessageList_message on Message {\n    id\n    clientMessageId\n    createdAt\n    content\n    sender {\n      id\n    }\n    ...MessageBubble_message\n  }\n"): (typeof documents)["\n  fragment MessageList_message on Message {\n    id\n    clientMessageId\n    createdAt\n    content\n    sender {\n      id\n    }\n    ...MessageBubble_message\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendMessage($recipientId: ID!, $content: String!, $clientMessageId: String) {\n    sendMessage(recipientId: $recipientId, content: $content, clientMessageId: $clientMessageId) {\n      id\n      clientMessageId\n      ...ConversationView_message\n    }\n  }\n"): (typeof documents)["\n  mutation SendMessage($recipientId: ID!, $content: String!, $clientMessageId: String) {\n    sendMessage(recipientId: $recipientId, content: $content, clientMessageId: $clientMessageId) {\n      id\n      clientMessageId\n      ...ConversationView_message\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MarkRead($senderId: ID!, $upToMessageId: ID) {\n    markRead(senderId: $senderId, upToMessageId: $upToMessageId) {\n      count\n      readAt\n    }\n  }\n"): (typeof documents)["\n  mutation MarkRead($senderId: ID!, $upToMessageId: ID) {\n    markRead(senderId: $senderId, upToMessageId: $upToMessageId) {\n      count\n      readAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MessageAdded($withUserId: ID, $after: String) {\n    messageAdded(withUserId: $withUserId, after: $after) {\n      id\n      clientMessageId\n      cursor\n      sender {\n        id\n      }\n      recipient {\n        id\n      }\n      ...ConversationView_message\n    }\n  }\n"): (typeof documents)["\n  subscription MessageAdded($withUserId: ID, $after: String) {\n    messageAdded(withUserId: $withUserId, after: $after) {\n      id\n      clientMessageId\n      cursor\n      sender {\n        id\n      }\n      recipient {\n        id\n      }\n      ...ConversationView_message\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ConversationTyping($withUserId: ID!) {\n    typing(withUserId: $withUserId) {\n      typing\n    }\n  }\n"): (typeof documents)["\n  subscription ConversationTyping($withUserId: ID!) {\n    typing(withUserId: $withUserId) {\n      typing\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConversationRead($withUserId: ID!) {\n    conversation(withUserId: $withUserId) {\n      id\n      peerLastRead {\n        id\n        createdAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConversationRead($withUserId: ID!) {\n    conversation(withUserId: $withUserId) {\n      id\n      peerLastRead {\n        id\n        createdAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ConversationMessagesRead($withUserId: ID!) {\n    messagesRead(withUserId: $withUserId) {\n      conversation {\n        id\n        peerLastRead {\n          id\n          createdAt\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription ConversationMessagesRead($withUserId: ID!) {\n    messagesRead(withUserId: $withUserId) {\n      conversation {\n        id\n        peerLastRead {\n          id\n          createdAt\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetTyping($withUserId: ID!, $typing: Boolean!) {\n    setTyping(withUserId: $withUserId, typing: $typing)\n  }\n"): (typeof documents)["\n  mutation SetTyping($withUserId: ID!, $typing: Boolean!) {\n    setTyping(withUserId: $withUserId, typing: $typing)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment InboxRow_conversation on Conversation {\n    id\n    unreadCount\n    lastActivityAt\n    peer {\n      id\n      username\n      displayName\n    }\n    lastMessage {\n      id\n      content\n      createdAt\n      sender {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment InboxRow_conversation on Conversation {\n    id\n    unreadCount\n    lastActivityAt\n    peer {\n      id\n      username\n      displayName\n    }\n    lastMessage {\n      id\n      content\n      createdAt\n      sender {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UnreadCount {\n    unreadCount\n  }\n"): (typeof documents)["\n  query UnreadCount {\n    unreadCount\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ConversationUpdated {\n    conversationUpdated {\n      id\n      unreadCount\n      lastActivityAt\n      peer {\n        id\n        displayName\n      }\n      lastMessage {\n        id\n        content\n        sender {\n          id\n        }\n      }\n      ...InboxRow_conversation\n    }\n  }\n"): (typeof documents)["\n  subscription ConversationUpdated {\n    conversationUpdated {\n      id\n      unreadCount\n      lastActivityAt\n      peer {\n        id\n        displayName\n      }\n      lastMessage {\n        id\n        content\n        sender {\n          id\n        }\n      }\n      ...InboxRow_conversation\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Inbox($first: Int, $after: String) {\n    conversations(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          ...InboxRow_conversation\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n    unreadCount\n  }\n"): (typeof documents)["\n  query Inbox($first: Int, $after: String) {\n    conversations(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          ...InboxRow_conversation\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n    unreadCount\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription InboxTyping($withUserId: ID!) {\n    typing(withUserId: $withUserId) {\n      typing\n    }\n  }\n"): (typeof documents)["\n  subscription InboxTyping($withUserId: ID!) {\n    typing(withUserId: $withUserId) {\n      typing\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment UserListItem_user on User {\n    id\n    username\n    displayName\n  }\n"): (typeof documents)["\n  fragment UserListItem_user on User {\n    id\n    username\n    displayName\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SearchUsers($search: String, $first: Int) {\n    users(search: $search, first: $first) {\n      edges {\n        cursor\n        node {\n          id\n          ...UserListItem_user\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query SearchUsers($search: String, $first: Int) {\n    users(search: $search, first: $first) {\n      edges {\n        cursor\n        node {\n          id\n          ...UserListItem_user\n        }\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;