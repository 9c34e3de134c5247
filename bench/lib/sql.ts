// SQL shared by the raw-SQL baseline (bench/load.ts) and the thin server: parley's tables, parley's statement shapes.

/** parley's send, statement 1 of 2 (in a transaction): take the next position under the conversation's row lock. */
export const UPSERT_CONVERSATION = `
  INSERT INTO "Conversation" ("id", "userLowId", "userHighId", "lastSeq", "lastMessageAt")
  VALUES (gen_random_uuid(), $1::uuid, $2::uuid, 1, clock_timestamp())
  ON CONFLICT ("userLowId", "userHighId") DO UPDATE
    SET "lastSeq" = "Conversation"."lastSeq" + 1,
        "lastMessageAt" = GREATEST(clock_timestamp(), "Conversation"."lastMessageAt")
  RETURNING "id", "lastSeq", "lastMessageAt"`;

/** parley's send, statement 2 of 2. */
export const INSERT_MESSAGE = `
  INSERT INTO "Message" ("id", "conversationId", "seq", "senderId", "recipientId", "content", "clientMessageId", "createdAt")
  VALUES (gen_random_uuid(), $1::uuid, $2, $3::uuid, $4::uuid, $5, $6, $7)
  RETURNING "id", "createdAt"`;

/** Both in one statement ($1 low, $2 high, $3 sender, $4 recipient, $5 content, $6 clientMessageId). */
export const SEND_ONE_STATEMENT = `
  WITH conv AS (${UPSERT_CONVERSATION}
  ), msg AS (
    INSERT INTO "Message" ("id", "conversationId", "seq", "senderId", "recipientId", "content", "clientMessageId", "createdAt")
    SELECT gen_random_uuid(), conv."id", conv."lastSeq", $3::uuid, $4::uuid, $5, $6, conv."lastMessageAt" FROM conv
    RETURNING *
  )
  SELECT msg.*, u."displayName" AS "senderName" FROM msg JOIN "User" u ON u."id" = msg."senderId"`;

/** A history page of a known conversation: keyset on (conversationId, seq), with the sender's name. */
export const rawHistorySql = (forward: boolean, withCursor: boolean) => `
  SELECT m."id", m."content", m."createdAt", m."readAt", m."seq", m."conversationId", m."senderId",
         u."displayName" AS "senderName"
  FROM "Message" m JOIN "User" u ON u."id" = m."senderId"
  WHERE m."conversationId" = $1::uuid ${withCursor ? `AND m."seq" ${forward ? '>' : '<'} $3` : ''}
  ORDER BY m."seq" ${forward ? 'ASC' : 'DESC'} LIMIT $2`;

/** The same page found by the two participants (what an API that is handed only user ids must do). */
export const participantsHistorySql = (forward: boolean, withCursor: boolean) => `
  SELECT m."id", m."content", m."createdAt", m."readAt", m."seq", m."conversationId", m."senderId",
         u."displayName" AS "senderName"
  FROM "Conversation" c
  CROSS JOIN LATERAL (
    SELECT * FROM "Message" m
    WHERE m."conversationId" = c."id" ${withCursor ? `AND m."seq" ${forward ? '>' : '<'} $4` : ''}
    ORDER BY m."seq" ${forward ? 'ASC' : 'DESC'} LIMIT $3
  ) m
  JOIN "User" u ON u."id" = m."senderId"
  WHERE c."userLowId" = $1::uuid AND c."userHighId" = $2::uuid ${withCursor ? 'AND c."id" = $5::uuid' : ''}`;
