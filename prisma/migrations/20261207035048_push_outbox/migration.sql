-- CreateTable
CREATE TABLE "PushOutbox" (
    "messageId" UUID NOT NULL,
    "subscriptionId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PushOutbox_pkey" PRIMARY KEY ("messageId","subscriptionId")
);
