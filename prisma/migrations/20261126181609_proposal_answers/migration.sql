-- AlterTable
ALTER TABLE "Proposal" ADD COLUMN     "answer" TEXT,
ADD COLUMN     "answeredAt" TIMESTAMP(3);
