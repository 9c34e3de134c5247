-- CreateTable
CREATE TABLE "Membership" (
    "conversationId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "lastReadSeq" INTEGER NOT NULL DEFAULT 0,
    "unreadCount" INTEGER NOT NULL DEFAULT 0,
    "lastActivityAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Membership_pkey" PRIMARY KEY ("conversationId","userId")
);

-- CreateIndex
CREATE INDEX "Membership_userId_lastActivityAt_conversationId_idx" ON "Membership"("userId", "lastActivityAt", "conversationId");

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfill: one membership per participant of every existing conversation, with its read position and unread
-- count computed from the messages already stored.
INSERT INTO "Membership" ("conversationId", "userId", "lastReadSeq", "unreadCount", "lastActivityAt")
SELECT c."id", p."userId",
       COALESCE((SELECT max(m."seq") FROM "Message" m
                 WHERE m."conversationId" = c."id" AND m."recipientId" = p."userId" AND m."readAt" IS NOT NULL), 0),
       (SELECT count(*)::int FROM "Message" m
        WHERE m."conversationId" = c."id" AND m."recipientId" = p."userId" AND m."readAt" IS NULL),
       c."lastMessageAt"
FROM "Conversation" c
CROSS JOIN LATERAL (VALUES (c."userLowId"), (c."userHighId")) AS p("userId")
WHERE c."lastSeq" > 0 AND EXISTS (SELECT 1 FROM "User" u WHERE u."id" = p."userId");
