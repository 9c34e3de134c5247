-- AlterTable
ALTER TABLE "Membership" ADD COLUMN     "hiddenReadSeq" INTEGER NOT NULL DEFAULT 0;
