-- CreateTable
CREATE TABLE "PushWorker" (
    "workerId" TEXT NOT NULL,
    "seenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PushWorker_pkey" PRIMARY KEY ("workerId")
);
