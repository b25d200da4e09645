/*
  Warnings:

  - You are about to drop the column `underageAt` on the `Participant` table. All the data in the column will be lost.

*/
-- AlterTable
ALTER TABLE "LinkCode" ADD COLUMN     "checkDigits" TEXT,
ADD COLUMN     "claimedAt" TIMESTAMP(3),
ADD COLUMN     "claimedById" UUID,
ADD COLUMN     "claimedChannel" TEXT;

-- AlterTable
ALTER TABLE "Participant" DROP COLUMN "underageAt";

-- CreateTable
CREATE TABLE "VerificationAttempt" (
    "id" BIGSERIAL NOT NULL,
    "participantId" UUID NOT NULL,
    "processId" INTEGER NOT NULL,
    "succeeded" BOOLEAN NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "VerificationAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UnderageAnswer" (
    "id" SERIAL NOT NULL,
    "channel" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UnderageAnswer_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "VerificationAttempt_participantId_createdAt_idx" ON "VerificationAttempt"("participantId", "createdAt");

-- CreateIndex
CREATE INDEX "VerificationAttempt_processId_createdAt_idx" ON "VerificationAttempt"("processId", "createdAt");

-- CreateIndex
CREATE INDEX "UnderageAnswer_createdAt_idx" ON "UnderageAnswer"("createdAt");

-- CreateIndex
CREATE INDEX "LinkCode_claimedById_idx" ON "LinkCode"("claimedById");

-- CreateIndex
CREATE INDEX "LinkCodeAttempt_createdAt_idx" ON "LinkCodeAttempt"("createdAt");

-- AddForeignKey
ALTER TABLE "LinkCode" ADD CONSTRAINT "LinkCode_claimedById_fkey" FOREIGN KEY ("claimedById") REFERENCES "Participant"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VerificationAttempt" ADD CONSTRAINT "VerificationAttempt_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VerificationAttempt" ADD CONSTRAINT "VerificationAttempt_processId_fkey" FOREIGN KEY ("processId") REFERENCES "Process"("id") ON DELETE CASCADE ON UPDATE CASCADE;
