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
    "\n  subscription Typing {\n    typing {\n      user {\n        id\n      }\n      typing\n    }\n  }\n": typeof types.TypingDocument,
    "\n  query Me {\n    me {\n      id\n      username\n      displayName\n    }\n  }\n": typeof types.MeDocument,
    "\n  mutation LogIn($username: String!, $password: String!) {\n    logIn(username: $username, password: $password) {\n      token\n      user {\n        id\n        username\n        displayName\n      }\n    }\n  }\n": typeof types.LogInDocument,
    "\n  mutation SignUp($username: String!, $password: String!, $displayName: String) {\n    signUp(username: $username, password: $password, displayName: $displayName) {\n      token\n      user {\n        id\n        username\n        displayName\n      }\n    }\n  }\n": typeof types.SignUpDocument,
    "\n  mutation LogOut {\n    logOut\n  }\n": typeof types.LogOutDocument,
    "\n  mutation LogOutEverywhere {\n    logOutEverywhere\n  }\n": typeof types.LogOutEverywhereDocument,
    "\n  fragment ConversationHeader_user on User {\n    id\n    username\n    displayName\n  }\n": typeof types.ConversationHeader_UserFragmentDoc,
    "\n  fragment ConversationView_message on Message {\n    id\n    # Where a resumed subscription continues after this message (same as its history edge cursor).\n    cursor\n    readAt\n    sender {\n      id\n      # Lets the header name the peer after a cold reload (User:<id> in cache).\n      ...ConversationHeader_user\n    }\n    ...MessageList_message\n  }\n": typeof types.ConversationView_MessageFragmentDoc,
    "\n  fragment MessageAttachments_message on Message {\n    id\n    cursor\n    sender {\n      id\n    }\n    recipient {\n      id\n    }\n    attachments {\n      id\n      filename\n      contentType\n      byteSize\n      url\n      width\n      height\n      thumbnailUrl\n    }\n  }\n": typeof types.MessageAttachments_MessageFragmentDoc,
    "\n  fragment MessageBubble_message on Message {\n    id\n    content\n    createdAt\n    readAt\n    editedAt\n    deletedAt\n    updateCursor\n    sender {\n      id\n      displayName\n    }\n    replyTo {\n      id\n      content\n      deletedAt\n      sender {\n        id\n        displayName\n      }\n    }\n    reactions {\n      emoji\n      count\n      reactedByMe\n    }\n    ...MessageAttachments_message\n  }\n": typeof types.MessageBubble_MessageFragmentDoc,
    "\n  fragment MessageList_message on Message {\n    id\n    clientMessageId\n    createdAt\n    content\n    readAt\n    sender {\n      id\n    }\n    ...MessageBubble_message\n  }\n": typeof types.MessageList_MessageFragmentDoc,
    "\n  query ConversationMuted($withUserId: ID!) {\n    conversation(withUserId: $withUserId) {\n      id\n      muted\n    }\n  }\n": typeof types.ConversationMutedDocument,
    "\n  mutation SetConversationMuted($withUserId: ID!, $muted: Boolean!) {\n    setConversationMuted(withUserId: $withUserId, muted: $muted) {\n      id\n      muted\n    }\n  }\n": typeof types.SetConversationMutedDocument,
    "\n  query ChatAround($withUserId: ID!, $first: Int, $after: String, $last: Int, $before: String) {\n    chatHistory(withUserId: $withUserId, first: $first, after: $after, last: $last, before: $before) {\n      edges {\n        cursor\n        node {\n          id\n          ...ConversationView_message\n        }\n      }\n      pageInfo {\n        hasPreviousPage\n        hasNextPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n": typeof types.ChatAroundDocument,
    "\n  mutation EditMessage($id: ID!, $content: String!) {\n    editMessage(id: $id, content: $content) {\n      id\n      ...MessageBubble_message\n    }\n  }\n": typeof types.EditMessageDocument,
    "\n  mutation DeleteMessage($id: ID!) {\n    deleteMessage(id: $id) {\n      id\n      ...MessageBubble_message\n    }\n  }\n": typeof types.DeleteMessageDocument,
    "\n  mutation AddReaction($messageId: ID!, $emoji: String!) {\n    addReaction(messageId: $messageId, emoji: $emoji) {\n      id\n      ...MessageBubble_message\n    }\n  }\n": typeof types.AddReactionDocument,
    "\n  mutation RemoveReaction($messageId: ID!, $emoji: String!) {\n    removeReaction(messageId: $messageId, emoji: $emoji) {\n      id\n      ...MessageBubble_message\n    }\n  }\n": typeof types.RemoveReactionDocument,
    "\n  subscription MessageUpdated($withUserId: ID, $after: String) {\n    messageUpdated(withUserId: $withUserId, after: $after) {\n      id\n      updateCursor\n      sender {\n        id\n      }\n      recipient {\n        id\n      }\n      ...MessageBubble_message\n    }\n  }\n": typeof types.MessageUpdatedDocument,
    "\n  query ConversationUpdateCursor($withUserId: ID!) {\n    conversation(withUserId: $withUserId) {\n      id\n      updateCursor\n      initialUpdateCursor\n    }\n  }\n": typeof types.ConversationUpdateCursorDocument,
    "\n  mutation SendMessage(\n    $recipientId: ID!\n    $content: String!\n    $clientMessageId: String\n    $replyToId: ID\n    $attachmentIds: [ID!]\n  ) {\n    sendMessage(\n      recipientId: $recipientId\n      content: $content\n      clientMessageId: $clientMessageId\n      replyToId: $replyToId\n      attachmentIds: $attachmentIds\n    ) {\n      id\n      clientMessageId\n      ...ConversationView_message\n    }\n  }\n": typeof types.SendMessageDocument,
    "\n  fragment AttachmentRefresh_attachment on Attachment {\n    id\n    url\n    thumbnailUrl\n  }\n": typeof types.AttachmentRefresh_AttachmentFragmentDoc,
    "\n  query AttachmentRefresh($withUserId: ID!, $first: Int, $after: String, $last: Int, $before: String) {\n    chatHistory(withUserId: $withUserId, first: $first, after: $after, last: $last, before: $before) {\n      edges {\n        cursor\n        node {\n          id\n          attachments {\n            ...AttachmentRefresh_attachment\n          }\n        }\n      }\n    }\n  }\n": typeof types.AttachmentRefreshDocument,
    "\n  mutation CreateUpload($filename: String!, $contentType: String!, $byteSize: Int!) {\n    createUpload(filename: $filename, contentType: $contentType, byteSize: $byteSize) {\n      id\n      url\n      fields {\n        name\n        value\n      }\n      expiresAt\n    }\n  }\n": typeof types.CreateUploadDocument,
    "\n  query ConversationBlock($withUserId: ID!) {\n    conversation(withUserId: $withUserId) {\n      id\n      blockedByMe\n      blockedMe\n    }\n  }\n": typeof types.ConversationBlockDocument,
    "\n  mutation BlockUser($userId: ID!) {\n    blockUser(userId: $userId)\n  }\n": typeof types.BlockUserDocument,
    "\n  mutation UnblockUser($userId: ID!) {\n    unblockUser(userId: $userId)\n  }\n": typeof types.UnblockUserDocument,
    "\n  query ChatHistory($withUserId: ID!, $last: Int, $before: String) {\n    chatHistory(withUserId: $withUserId, last: $last, before: $before) {\n      edges {\n        cursor\n        node {\n          id\n          ...ConversationView_message\n        }\n      }\n      pageInfo {\n        hasPreviousPage\n        hasNextPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n": typeof types.ChatHistoryDocument,
    "\n  query UnreadBoundary($withUserId: ID!, $before: String, $last: Int) {\n    chatHistory(withUserId: $withUserId, before: $before, last: $last) {\n      edges {\n        cursor\n        node {\n          id\n          readAt\n          sender {\n            id\n          }\n        }\n      }\n      pageInfo {\n        hasPreviousPage\n        startCursor\n      }\n    }\n  }\n": typeof types.UnreadBoundaryDocument,
    "\n  mutation MarkRead($senderId: ID!, $upToMessageId: ID) {\n    markRead(senderId: $senderId, upToMessageId: $upToMessageId) {\n      count\n      readAt\n    }\n  }\n": typeof types.MarkReadDocument,
    "\n  subscription MessageAdded($withUserId: ID, $after: String) {\n    messageAdded(withUserId: $withUserId, after: $after) {\n      id\n      clientMessageId\n      cursor\n      sender {\n        id\n      }\n      recipient {\n        id\n      }\n      ...ConversationView_message\n    }\n  }\n": typeof types.MessageAddedDocument,
    "\n  query ConversationRead($withUserId: ID!) {\n    conversation(withUserId: $withUserId) {\n      id\n      peerLastRead {\n        id\n        createdAt\n      }\n    }\n  }\n": typeof types.ConversationReadDocument,
    "\n  subscription ConversationMessagesRead($withUserId: ID!) {\n    messagesRead(withUserId: $withUserId) {\n      conversation {\n        id\n        peerLastRead {\n          id\n          createdAt\n        }\n      }\n    }\n  }\n": typeof types.ConversationMessagesReadDocument,
    "\n  mutation SetTyping($withUserId: ID!, $typing: Boolean!) {\n    setTyping(withUserId: $withUserId, typing: $typing)\n  }\n": typeof types.SetTypingDocument,
    "\n  fragment InboxRow_conversation on Conversation {\n    id\n    unreadCount\n    muted\n    lastActivityAt\n    peer {\n      id\n      username\n      displayName\n    }\n    lastMessage {\n      id\n      content\n      createdAt\n      sender {\n        id\n      }\n    }\n  }\n": typeof types.InboxRow_ConversationFragmentDoc,
    "\n  query UnreadCount {\n    unreadCount\n  }\n": typeof types.UnreadCountDocument,
    "\n  subscription ConversationUpdated {\n    conversationUpdated {\n      id\n      unreadCount\n      lastActivityAt\n      peer {\n        id\n        displayName\n      }\n      lastMessage {\n        id\n        content\n        sender {\n          id\n        }\n      }\n      # Blocked either way (issue #22): kept current in Conversation:<id> for the open conversation (chat/useBlock.ts).\n      blockedByMe\n      blockedMe\n      ...InboxRow_conversation\n    }\n  }\n": typeof types.ConversationUpdatedDocument,
    "\n  query Inbox($first: Int, $after: String) {\n    conversations(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          ...InboxRow_conversation\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n    unreadCount\n  }\n": typeof types.InboxDocument,
    "\n  query SearchMessages($query: String!) {\n    searchMessages(query: $query, first: 20) {\n      edges {\n        cursor\n        snippet\n        highlights {\n          start\n          length\n        }\n        node {\n          id\n          cursor\n          createdAt\n          sender {\n            id\n            displayName\n          }\n          recipient {\n            id\n            displayName\n          }\n        }\n      }\n    }\n  }\n": typeof types.SearchMessagesDocument,
    "\n  query PushPublicKey {\n    pushPublicKey\n  }\n": typeof types.PushPublicKeyDocument,
    "\n  mutation RegisterPushSubscription($endpoint: String!, $p256dh: String!, $auth: String!) {\n    registerPushSubscription(endpoint: $endpoint, p256dh: $p256dh, auth: $auth)\n  }\n": typeof types.RegisterPushSubscriptionDocument,
    "\n  mutation UnregisterPushSubscription($endpoint: String!) {\n    unregisterPushSubscription(endpoint: $endpoint)\n  }\n": typeof types.UnregisterPushSubscriptionDocument,
    "\n  query BlockedUsers($first: Int, $after: String) {\n    blockedUsers(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          username\n          displayName\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.BlockedUsersDocument,
    "\n  mutation SettingsUnblockUser($userId: ID!) {\n    unblockUser(userId: $userId)\n  }\n": typeof types.SettingsUnblockUserDocument,
    "\n  mutation DeleteAccount($password: String!) {\n    deleteAccount(password: $password)\n  }\n": typeof types.DeleteAccountDocument,
    "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n": typeof types.ChangePasswordDocument,
    "\n  mutation UpdateProfile($displayName: String!) {\n    updateProfile(displayName: $displayName) {\n      id\n      username\n      displayName\n    }\n  }\n": typeof types.UpdateProfileDocument,
    "\n  query Sessions($first: Int, $after: String) {\n    sessions(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          createdAt\n          lastSeenAt\n          userAgent\n          current\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.SessionsDocument,
    "\n  mutation LogOutSession($id: ID!) {\n    logOutSession(id: $id)\n  }\n": typeof types.LogOutSessionDocument,
    "\n  fragment UserListItem_user on User {\n    id\n    username\n    displayName\n  }\n": typeof types.UserListItem_UserFragmentDoc,
    "\n  query SearchUsers($search: String, $first: Int) {\n    users(search: $search, first: $first) {\n      edges {\n        cursor\n        node {\n          id\n          ...UserListItem_user\n        }\n      }\n    }\n  }\n": typeof types.SearchUsersDocument,
};
const documents: Documents = {
    "\n  subscription Typing {\n    typing {\n      user {\n        id\n      }\n      typing\n    }\n  }\n": types.TypingDocument,
    "\n  query Me {\n    me {\n      id\n      username\n      displayName\n    }\n  }\n": types.MeDocument,
    "\n  mutation LogIn($username: String!, $password: String!) {\n    logIn(username: $username, password: $password) {\n      token\n      user {\n        id\n        username\n        displayName\n      }\n    }\n  }\n": types.LogInDocument,
    "\n  mutation SignUp($username: String!, $password: String!, $displayName: String) {\n    signUp(username: $username, password: $password, displayName: $displayName) {\n      token\n      user {\n        id\n        username\n        displayName\n      }\n    }\n  }\n": types.SignUpDocument,
    "\n  mutation LogOut {\n    logOut\n  }\n": types.LogOutDocument,
    "\n  mutation LogOutEverywhere {\n    logOutEverywhere\n  }\n": types.LogOutEverywhereDocument,
    "\n  fragment ConversationHeader_user on User {\n    id\n    username\n    displayName\n  }\n": types.ConversationHeader_UserFragmentDoc,
    "\n  fragment ConversationView_message on Message {\n    id\n    # Where a resumed subscription continues after this message (same as its history edge cursor).\n    cursor\n    readAt\n    sender {\n      id\n      # Lets the header name the peer after a cold reload (User:<id> in cache).\n      ...ConversationHeader_user\n    }\n    ...MessageList_message\n  }\n": types.ConversationView_MessageFragmentDoc,
    "\n  fragment MessageAttachments_message on Message {\n    id\n    cursor\n    sender {\n      id\n    }\n    recipient {\n      id\n    }\n    attachments {\n      id\n      filename\n      contentType\n      byteSize\n      url\n      width\n      height\n      thumbnailUrl\n    }\n  }\n": types.MessageAttachments_MessageFragmentDoc,
    "\n  fragment MessageBubble_message on Message {\n    id\n    content\n    createdAt\n    readAt\n    editedAt\n    deletedAt\n    updateCursor\n    sender {\n      id\n      displayName\n    }\n    replyTo {\n      id\n      content\n      deletedAt\n      sender {\n        id\n        displayName\n      }\n    }\n    reactions {\n      emoji\n      count\n      reactedByMe\n    }\n    ...MessageAttachments_message\n  }\n": types.MessageBubble_MessageFragmentDoc,
    "\n  fragment MessageList_message on Message {\n    id\n    clientMessageId\n    createdAt\n    content\n    readAt\n    sender {\n      id\n    }\n    ...MessageBubble_message\n  }\n": types.MessageList_MessageFragmentDoc,
    "\n  query ConversationMuted($withUserId: ID!) {\n    conversation(withUserId: $withUserId) {\n      id\n      muted\n    }\n  }\n": types.ConversationMutedDocument,
    "\n  mutation SetConversationMuted($withUserId: ID!, $muted: Boolean!) {\n    setConversationMuted(withUserId: $withUserId, muted: $muted) {\n      id\n      muted\n    }\n  }\n": types.SetConversationMutedDocument,
    "\n  query ChatAround($withUserId: ID!, $first: Int, $after: String, $last: Int, $before: String) {\n    chatHistory(withUserId: $withUserId, first: $first, after: $after, last: $last, before: $before) {\n      edges {\n        cursor\n        node {\n          id\n          ...ConversationView_message\n        }\n      }\n      pageInfo {\n        hasPreviousPage\n        hasNextPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n": types.ChatAroundDocument,
    "\n  mutation EditMessage($id: ID!, $content: String!) {\n    editMessage(id: $id, content: $content) {\n      id\n      ...MessageBubble_message\n    }\n  }\n": types.EditMessageDocument,
    "\n  mutation DeleteMessage($id: ID!) {\n    deleteMessage(id: $id) {\n      id\n      ...MessageBubble_message\n    }\n  }\n": types.DeleteMessageDocument,
    "\n  mutation AddReaction($messageId: ID!, $emoji: String!) {\n    addReaction(messageId: $messageId, emoji: $emoji) {\n      id\n      ...MessageBubble_message\n    }\n  }\n": types.AddReactionDocument,
    "\n  mutation RemoveReaction($messageId: ID!, $emoji: String!) {\n    removeReaction(messageId: $messageId, emoji: $emoji) {\n      id\n      ...MessageBubble_message\n    }\n  }\n": types.RemoveReactionDocument,
    "\n  subscription MessageUpdated($withUserId: ID, $after: String) {\n    messageUpdated(withUserId: $withUserId, after: $after) {\n      id\n      updateCursor\n      sender {\n        id\n      }\n      recipient {\n        id\n      }\n      ...MessageBubble_message\n    }\n  }\n": types.MessageUpdatedDocument,
    "\n  query ConversationUpdateCursor($withUserId: ID!) {\n    conversation(withUserId: $withUserId) {\n      id\n      updateCursor\n      initialUpdateCursor\n    }\n  }\n": types.ConversationUpdateCursorDocument,
    "\n  mutation SendMessage(\n    $recipientId: ID!\n    $content: String!\n    $clientMessageId: String\n    $replyToId: ID\n    $attachmentIds: [ID!]\n  ) {\n    sendMessage(\n      recipientId: $recipientId\n      content: $content\n      clientMessageId: $clientMessageId\n      replyToId: $replyToId\n      attachmentIds: $attachmentIds\n    ) {\n      id\n      clientMessageId\n      ...ConversationView_message\n    }\n  }\n": types.SendMessageDocument,
    "\n  fragment AttachmentRefresh_attachment on Attachment {\n    id\n    url\n    thumbnailUrl\n  }\n": types.AttachmentRefresh_AttachmentFragmentDoc,
    "\n  query AttachmentRefresh($withUserId: ID!, $first: Int, $after: String, $last: Int, $before: String) {\n    chatHistory(withUserId: $withUserId, first: $first, after: $after, last: $last, before: $before) {\n      edges {\n        cursor\n        node {\n          id\n          attachments {\n            ...AttachmentRefresh_attachment\n          }\n        }\n      }\n    }\n  }\n": types.AttachmentRefreshDocument,
    "\n  mutation CreateUpload($filename: String!, $contentType: String!, $byteSize: Int!) {\n    createUpload(filename: $filename, contentType: $contentType, byteSize: $byteSize) {\n      id\n      url\n      fields {\n        name\n        value\n      }\n      expiresAt\n    }\n  }\n": types.CreateUploadDocument,
    "\n  query ConversationBlock($withUserId: ID!) {\n    conversation(withUserId: $withUserId) {\n      id\n      blockedByMe\n      blockedMe\n    }\n  }\n": types.ConversationBlockDocument,
    "\n  mutation BlockUser($userId: ID!) {\n    blockUser(userId: $userId)\n  }\n": types.BlockUserDocument,
    "\n  mutation UnblockUser($userId: ID!) {\n    unblockUser(userId: $userId)\n  }\n": types.UnblockUserDocument,
    "\n  query ChatHistory($withUserId: ID!, $last: Int, $before: String) {\n    chatHistory(withUserId: $withUserId, last: $last, before: $before) {\n      edges {\n        cursor\n        node {\n          id\n          ...ConversationView_message\n        }\n      }\n      pageInfo {\n        hasPreviousPage\n        hasNextPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n": types.ChatHistoryDocument,
    "\n  query UnreadBoundary($withUserId: ID!, $before: String, $last: Int) {\n    chatHistory(withUserId: $withUserId, before: $before, last: $last) {\n      edges {\n        cursor\n        node {\n          id\n          readAt\n          sender {\n            id\n          }\n        }\n      }\n      pageInfo {\n        hasPreviousPage\n        startCursor\n      }\n    }\n  }\n": types.UnreadBoundaryDocument,
    "\n  mutation MarkRead($senderId: ID!, $upToMessageId: ID) {\n    markRead(senderId: $senderId, upToMessageId: $upToMessageId) {\n      count\n      readAt\n    }\n  }\n": types.MarkReadDocument,
    "\n  subscription MessageAdded($withUserId: ID, $after: String) {\n    messageAdded(withUserId: $withUserId, after: $after) {\n      id\n      clientMessageId\n      cursor\n      sender {\n        id\n      }\n      recipient {\n        id\n      }\n      ...ConversationView_message\n    }\n  }\n": types.MessageAddedDocument,
    "\n  query ConversationRead($withUserId: ID!) {\n    conversation(withUserId: $withUserId) {\n      id\n      peerLastRead {\n        id\n        createdAt\n      }\n    }\n  }\n": types.ConversationReadDocument,
    "\n  subscription ConversationMessagesRead($withUserId: ID!) {\n    messagesRead(withUserId: $withUserId) {\n      conversation {\n        id\n        peerLastRead {\n          id\n          createdAt\n        }\n      }\n    }\n  }\n": types.ConversationMessagesReadDocument,
    "\n  mutation SetTyping($withUserId: ID!, $typing: Boolean!) {\n    setTyping(withUserId: $withUserId, typing: $typing)\n  }\n": types.SetTypingDocument,
    "\n  fragment InboxRow_conversation on Conversation {\n    id\n    unreadCount\n    muted\n    lastActivityAt\n    peer {\n      id\n      username\n      displayName\n    }\n    lastMessage {\n      id\n      content\n      createdAt\n      sender {\n        id\n      }\n    }\n  }\n": types.InboxRow_ConversationFragmentDoc,
    "\n  query UnreadCount {\n    unreadCount\n  }\n": types.UnreadCountDocument,
    "\n  subscription ConversationUpdated {\n    conversationUpdated {\n      id\n      unreadCount\n      lastActivityAt\n      peer {\n        id\n        displayName\n      }\n      lastMessage {\n        id\n        content\n        sender {\n          id\n        }\n      }\n      # Blocked either way (issue #22): kept current in Conversation:<id> for the open conversation (chat/useBlock.ts).\n      blockedByMe\n      blockedMe\n      ...InboxRow_conversation\n    }\n  }\n": types.ConversationUpdatedDocument,
    "\n  query Inbox($first: Int, $after: String) {\n    conversations(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          ...InboxRow_conversation\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n    unreadCount\n  }\n": types.InboxDocument,
    "\n  query SearchMessages($query: String!) {\n    searchMessages(query: $query, first: 20) {\n      edges {\n        cursor\n        snippet\n        highlights {\n          start\n          length\n        }\n        node {\n          id\n          cursor\n          createdAt\n          sender {\n            id\n            displayName\n          }\n          recipient {\n            id\n            displayName\n          }\n        }\n      }\n    }\n  }\n": types.SearchMessagesDocument,
    "\n  query PushPublicKey {\n    pushPublicKey\n  }\n": types.PushPublicKeyDocument,
    "\n  mutation RegisterPushSubscription($endpoint: String!, $p256dh: String!, $auth: String!) {\n    registerPushSubscription(endpoint: $endpoint, p256dh: $p256dh, auth: $auth)\n  }\n": types.RegisterPushSubscriptionDocument,
    "\n  mutation UnregisterPushSubscription($endpoint: String!) {\n    unregisterPushSubscription(endpoint: $endpoint)\n  }\n": types.UnregisterPushSubscriptionDocument,
    "\n  query BlockedUsers($first: Int, $after: String) {\n    blockedUsers(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          username\n          displayName\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.BlockedUsersDocument,
    "\n  mutation SettingsUnblockUser($userId: ID!) {\n    unblockUser(userId: $userId)\n  }\n": types.SettingsUnblockUserDocument,
    "\n  mutation DeleteAccount($password: String!) {\n    deleteAccount(password: $password)\n  }\n": types.DeleteAccountDocument,
    "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n": types.ChangePasswordDocument,
    "\n  mutation UpdateProfile($displayName: String!) {\n    updateProfile(displayName: $displayName) {\n      id\n      username\n      displayName\n    }\n  }\n": types.UpdateProfileDocument,
    "\n  query Sessions($first: Int, $after: String) {\n    sessions(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          createdAt\n          lastSeenAt\n          userAgent\n          current\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.SessionsDocument,
    "\n  mutation LogOutSession($id: ID!) {\n    logOutSession(id: $id)\n  }\n": types.LogOutSessionDocument,
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
export function graphql(source: "\n  subscription Typing {\n    typing {\n      user {\n        id\n      }\n      typing\n    }\n  }\n"): (typeof documents)["\n  subscription Typing {\n    typing {\n      user {\n        id\n      }\n      typing\n    }\n  }\n"];
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
export function graphql(source: "\n  fragment MessageAttachments_message on Message {\n    id\n    cursor\n    sender {\n      id\n    }\n    recipient {\n      id\n    }\n    attachments {\n      id\n      filename\n      contentType\n      byteSize\n      url\n      width\n      height\n      thumbnailUrl\n    }\n  }\n"): (typeof documents)["\n  fragment MessageAttachments_message on Message {\n    id\n    cursor\n    sender {\n      id\n    }\n    recipient {\n      id\n    }\n    attachments {\n      id\n      filename\n      contentType\n      byteSize\n      url\n      width\n      height\n      thumbnailUrl\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MessageBubble_message on Message {\n    id\n    content\n    createdAt\n    readAt\n    editedAt\n    deletedAt\n    updateCursor\n    sender {\n      id\n      displayName\n    }\n    replyTo {\n      id\n      content\n      deletedAt\n      sender {\n        id\n        displayName\n      }\n    }\n    reactions {\n      emoji\n      count\n      reactedByMe\n    }\n    ...MessageAttachments_message\n  }\n"): (typeof documents)["\n  fragment MessageBubble_message on Message {\n    id\n    content\n    createdAt\n    readAt\n    editedAt\n    deletedAt\n    updateCursor\n    sender {\n      id\n      displayName\n    }\n    replyTo {\n      id\n      content\n      deletedAt\n      sender {\n        id\n        displayName\n      }\n    }\n    reactions {\n      emoji\n      count\n      reactedByMe\n    }\n    ...MessageAttachments_message\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MessageList_message on Message {\n    id\n    clientMessageId\n    createdAt\n    content\n    readAt\n    sender {\n      id\n    }\n    ...MessageBubble_message\n  }\n"): (typeof documents)["\n  fragment MessageList_message on Message {\n    id\n    clientMessageId\n    createdAt\n    content\n    readAt\n    sender {\n      id\n    }\n    ...MessageBubble_message\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConversationMuted($withUserId: ID!) {\n    conversation(withUserId: $withUserId) {\n      id\n      muted\n    }\n  }\n"): (typeof documents)["\n  query ConversationMuted($withUserId: ID!) {\n    conversation(withUserId: $withUserId) {\n      id\n      muted\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetConversationMuted($withUserId: ID!, $muted: Boolean!) {\n    setConversationMuted(withUserId: $withUserId, muted: $muted) {\n      id\n      muted\n    }\n  }\n"): (typeof documents)["\n  mutation SetConversationMuted($withUserId: ID!, $muted: Boolean!) {\n    setConversationMuted(withUserId: $withUserId, muted: $muted) {\n      id\n      muted\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ChatAround($withUserId: ID!, $first: Int, $after: String, $last: Int, $before: String) {\n    chatHistory(withUserId: $withUserId, first: $first, after: $after, last: $last, before: $before) {\n      edges {\n        cursor\n        node {\n          id\n          ...ConversationView_message\n        }\n      }\n      pageInfo {\n        hasPreviousPage\n        hasNextPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query ChatAround($withUserId: ID!, $first: Int, $after: String, $last: Int, $before: String) {\n    chatHistory(withUserId: $withUserId, first: $first, after: $after, last: $last, before: $before) {\n      edges {\n        cursor\n        node {\n          id\n          ...ConversationView_message\n        }\n      }\n      pageInfo {\n        hasPreviousPage\n        hasNextPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EditMessage($id: ID!, $content: String!) {\n    editMessage(id: $id, content: $content) {\n      id\n      ...MessageBubble_message\n    }\n  }\n"): (typeof documents)["\n  mutation EditMessage($id: ID!, $content: String!) {\n    editMessage(id: $id, content: $content) {\n      id\n      ...MessageBubble_message\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteMessage($id: ID!) {\n    deleteMessage(id: $id) {\n      id\n      ...MessageBubble_message\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteMessage($id: ID!) {\n    deleteMessage(id: $id) {\n      id\n      ...MessageBubble_message\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddReaction($messageId: ID!, $emoji: String!) {\n    addReaction(messageId: $messageId, emoji: $emoji) {\n      id\n      ...MessageBubble_message\n    }\n  }\n"): (typeof documents)["\n  mutation AddReaction($messageId: ID!, $emoji: String!) {\n    addReaction(messageId: $messageId, emoji: $emoji) {\n      id\n      ...MessageBubble_message\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveReaction($messageId: ID!, $emoji: String!) {\n    removeReaction(messageId: $messageId, emoji: $emoji) {\n      id\n      ...MessageBubble_message\n    }\n  }\n"): (typeof documents)["\n  mutation RemoveReaction($messageId: ID!, $emoji: String!) {\n    removeReaction(messageId: $messageId, emoji: $emoji) {\n      id\n      ...MessageBubble_message\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MessageUpdated($withUserId: ID, $after: String) {\n    messageUpdated(withUserId: $withUserId, after: $after) {\n      id\n      updateCursor\n      sender {\n        id\n      }\n      recipient {\n        id\n      }\n      ...MessageBubble_message\n    }\n  }\n"): (typeof documents)["\n  subscription MessageUpdated($withUserId: ID, $after: String) {\n    messageUpdated(withUserId: $withUserId, after: $after) {\n      id\n      updateCursor\n      sender {\n        id\n      }\n      recipient {\n        id\n      }\n      ...MessageBubble_message\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConversationUpdateCursor($withUserId: ID!) {\n    conversation(withUserId: $withUserId) {\n      id\n      updateCursor\n      initialUpdateCursor\n    }\n  }\n"): (typeof documents)["\n  query ConversationUpdateCursor($withUserId: ID!) {\n    conversation(withUserId: $withUserId) {\n      id\n      updateCursor\n      initialUpdateCursor\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendMessage(\n    $recipientId: ID!\n    $content: String!\n    $clientMessageId: String\n    $replyToId: ID\n    $attachmentIds: [ID!]\n  ) {\n    sendMessage(\n      recipientId: $recipientId\n      content: $content\n      clientMessageId: $clientMessageId\n      replyToId: $replyToId\n      attachmentIds: $attachmentIds\n    ) {\n      id\n      clientMessageId\n      ...ConversationView_message\n    }\n  }\n"): (typeof documents)["\n  mutation SendMessage(\n    $recipientId: ID!\n    $content: String!\n    $clientMessageId: String\n    $replyToId: ID\n    $attachmentIds: [ID!]\n  ) {\n    sendMessage(\n      recipientId: $recipientId\n      content: $content\n      clientMessageId: $clientMessageId\n      replyToId: $replyToId\n      attachmentIds: $attachmentIds\n    ) {\n      id\n      clientMessageId\n      ...ConversationView_message\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AttachmentRefresh_attachment on Attachment {\n    id\n    url\n    thumbnailUrl\n  }\n"): (typeof documents)["\n  fragment AttachmentRefresh_attachment on Attachment {\n    id\n    url\n    thumbnailUrl\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AttachmentRefresh($withUserId: ID!, $first: Int, $after: String, $last: Int, $before: String) {\n    chatHistory(withUserId: $withUserId, first: $first, after: $after, last: $last, before: $before) {\n      edges {\n        cursor\n        node {\n          id\n          attachments {\n            ...AttachmentRefresh_attachment\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AttachmentRefresh($withUserId: ID!, $first: Int, $after: String, $last: Int, $before: String) {\n    chatHistory(withUserId: $withUserId, first: $first, after: $after, last: $last, before: $before) {\n      edges {\n        cursor\n        node {\n          id\n          attachments {\n            ...AttachmentRefresh_attachment\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateUpload($filename: String!, $contentType: String!, $byteSize: Int!) {\n    createUpload(filename: $filename, contentType: $contentType, byteSize: $byteSize) {\n      id\n      url\n      fields {\n        name\n        value\n      }\n      expiresAt\n    }\n  }\n"): (typeof documents)["\n  mutation CreateUpload($filename: String!, $contentType: String!, $byteSize: Int!) {\n    createUpload(filename: $filename, contentType: $contentType, byteSize: $byteSize) {\n      id\n      url\n      fields {\n        name\n        value\n      }\n      expiresAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConversationBlock($withUserId: ID!) {\n    conversation(withUserId: $withUserId) {\n      id\n      blockedByMe\n      blockedMe\n    }\n  }\n"): (typeof documents)["\n  query ConversationBlock($withUserId: ID!) {\n    conversation(withUserId: $withUserId) {\n      id\n      blockedByMe\n      blockedMe\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BlockUser($userId: ID!) {\n    blockUser(userId: $userId)\n  }\n"): (typeof documents)["\n  mutation BlockUser($userId: ID!) {\n    blockUser(userId: $userId)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UnblockUser($userId: ID!) {\n    unblockUser(userId: $userId)\n  }\n"): (typeof documents)["\n  mutation UnblockUser($userId: ID!) {\n    unblockUser(userId: $userId)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ChatHistory($withUserId: ID!, $last: Int, $before: String) {\n    chatHistory(withUserId: $withUserId, last: $last, before: $before) {\n      edges {\n        cursor\n        node {\n          id\n          ...ConversationView_message\n        }\n      }\n      pageInfo {\n        hasPreviousPage\n        hasNextPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query ChatHistory($withUserId: ID!, $last: Int, $before: String) {\n    chatHistory(withUserId: $withUserId, last: $last, before: $before) {\n      edges {\n        cursor\n        node {\n          id\n          ...ConversationView_message\n        }\n      }\n      pageInfo {\n        hasPreviousPage\n        hasNextPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UnreadBoundary($withUserId: ID!, $before: String, $last: Int) {\n    chatHistory(withUserId: $withUserId, before: $before, last: $last) {\n      edges {\n        cursor\n        node {\n          id\n          readAt\n          sender {\n            id\n          }\n        }\n      }\n      pageInfo {\n        hasPreviousPage\n        startCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query UnreadBoundary($withUserId: ID!, $before: String, $last: Int) {\n    chatHistory(withUserId: $withUserId, before: $before, last: $last) {\n      edges {\n        cursor\n        node {\n          id\n          readAt\n          sender {\n            id\n          }\n        }\n      }\n      pageInfo {\n        hasPreviousPage\n        startCursor\n      }\n    }\n  }\n"];
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
export function graphql(source: "\n  fragment InboxRow_conversation on Conversation {\n    id\n    unreadCount\n    muted\n    lastActivityAt\n    peer {\n      id\n      username\n      displayName\n    }\n    lastMessage {\n      id\n      content\n      createdAt\n      sender {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment InboxRow_conversation on Conversation {\n    id\n    unreadCount\n    muted\n    lastActivityAt\n    peer {\n      id\n      username\n      displayName\n    }\n    lastMessage {\n      id\n      content\n      createdAt\n      sender {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UnreadCount {\n    unreadCount\n  }\n"): (typeof documents)["\n  query UnreadCount {\n    unreadCount\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ConversationUpdated {\n    conversationUpdated {\n      id\n      unreadCount\n      lastActivityAt\n      peer {\n        id\n        displayName\n      }\n      lastMessage {\n        id\n        content\n        sender {\n          id\n        }\n      }\n      # Blocked either way (issue #22): kept current in Conversation:<id> for the open conversation (chat/useBlock.ts).\n      blockedByMe\n      blockedMe\n      ...InboxRow_conversation\n    }\n  }\n"): (typeof documents)["\n  subscription ConversationUpdated {\n    conversationUpdated {\n      id\n      unreadCount\n      lastActivityAt\n      peer {\n        id\n        displayName\n      }\n      lastMessage {\n        id\n        content\n        sender {\n          id\n        }\n      }\n      # Blocked either way (issue #22): kept current in Conversation:<id> for the open conversation (chat/useBlock.ts).\n      blockedByMe\n      blockedMe\n      ...InboxRow_conversation\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Inbox($first: Int, $after: String) {\n    conversations(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          ...InboxRow_conversation\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n    unreadCount\n  }\n"): (typeof documents)["\n  query Inbox($first: Int, $after: String) {\n    conversations(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          ...InboxRow_conversation\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n    unreadCount\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SearchMessages($query: String!) {\n    searchMessages(query: $query, first: 20) {\n      edges {\n        cursor\n        snippet\n        highlights {\n          start\n          length\n        }\n        node {\n          id\n          cursor\n          createdAt\n          sender {\n            id\n            displayName\n          }\n          recipient {\n            id\n            displayName\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query SearchMessages($query: String!) {\n    searchMessages(query: $query, first: 20) {\n      edges {\n        cursor\n        snippet\n        highlights {\n          start\n          length\n        }\n        node {\n          id\n          cursor\n          createdAt\n          sender {\n            id\n            displayName\n          }\n          recipient {\n            id\n            displayName\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PushPublicKey {\n    pushPublicKey\n  }\n"): (typeof documents)["\n  query PushPublicKey {\n    pushPublicKey\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RegisterPushSubscription($endpoint: String!, $p256dh: String!, $auth: String!) {\n    registerPushSubscription(endpoint: $endpoint, p256dh: $p256dh, auth: $auth)\n  }\n"): (typeof documents)["\n  mutation RegisterPushSubscription($endpoint: String!, $p256dh: String!, $auth: String!) {\n    registerPushSubscription(endpoint: $endpoint, p256dh: $p256dh, auth: $auth)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UnregisterPushSubscription($endpoint: String!) {\n    unregisterPushSubscription(endpoint: $endpoint)\n  }\n"): (typeof documents)["\n  mutation UnregisterPushSubscription($endpoint: String!) {\n    unregisterPushSubscription(endpoint: $endpoint)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BlockedUsers($first: Int, $after: String) {\n    blockedUsers(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          username\n          displayName\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query BlockedUsers($first: Int, $after: String) {\n    blockedUsers(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          username\n          displayName\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SettingsUnblockUser($userId: ID!) {\n    unblockUser(userId: $userId)\n  }\n"): (typeof documents)["\n  mutation SettingsUnblockUser($userId: ID!) {\n    unblockUser(userId: $userId)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteAccount($password: String!) {\n    deleteAccount(password: $password)\n  }\n"): (typeof documents)["\n  mutation DeleteAccount($password: String!) {\n    deleteAccount(password: $password)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n"): (typeof documents)["\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateProfile($displayName: String!) {\n    updateProfile(displayName: $displayName) {\n      id\n      username\n      displayName\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateProfile($displayName: String!) {\n    updateProfile(displayName: $displayName) {\n      id\n      username\n      displayName\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Sessions($first: Int, $after: String) {\n    sessions(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          createdAt\n          lastSeenAt\n          userAgent\n          current\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query Sessions($first: Int, $after: String) {\n    sessions(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          createdAt\n          lastSeenAt\n          userAgent\n          current\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogOutSession($id: ID!) {\n    logOutSession(id: $id)\n  }\n"): (typeof documents)["\n  mutation LogOutSession($id: ID!) {\n    logOutSession(id: $id)\n  }\n"];
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