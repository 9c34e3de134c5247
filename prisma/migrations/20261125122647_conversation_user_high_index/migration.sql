-- CreateIndex
CREATE INDEX "Conversation_userHighId_idx" ON "Conversation"("userHighId");
