-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "lastChangeSeq" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "changeSeq" INTEGER,
ADD COLUMN     "deletedAt" TIMESTAMPTZ(3),
ADD COLUMN     "editedAt" TIMESTAMPTZ(3),
ADD COLUMN     "reactions" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "replyToId" UUID;

-- CreateIndex
CREATE INDEX "Message_conversationId_changeSeq_idx" ON "Message"("conversationId", "changeSeq");

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_replyToId_fkey" FOREIGN KEY ("replyToId") REFERENCES "Message"("id") ON DELETE SET NULL ON UPDATE CASCADE;
