-- AlterTable
ALTER TABLE "Participant" ADD COLUMN     "erasedAt" TIMESTAMP(3),
ADD COLUMN     "retentionWarnedAt" TIMESTAMP(3),
ADD COLUMN     "underageAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Process" ADD COLUMN     "requiresVerification" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "LinkCode" (
    "id" SERIAL NOT NULL,
    "participantId" UUID NOT NULL,
    "codeHash" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LinkCode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VerificationCode" (
    "id" SERIAL NOT NULL,
    "processId" INTEGER NOT NULL,
    "codeHash" TEXT NOT NULL,
    "redeemedById" UUID,
    "redeemedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "VerificationCode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LinkCodeAttempt" (
    "id" BIGSERIAL NOT NULL,
    "participantId" UUID NOT NULL,
    "succeeded" BOOLEAN NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LinkCodeAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "LinkCode_codeHash_key" ON "LinkCode"("codeHash");

-- CreateIndex
CREATE INDEX "LinkCode_participantId_createdAt_idx" ON "LinkCode"("participantId", "createdAt");

-- CreateIndex
CREATE INDEX "VerificationCode_redeemedById_idx" ON "VerificationCode"("redeemedById");

-- CreateIndex
CREATE UNIQUE INDEX "VerificationCode_processId_codeHash_key" ON "VerificationCode"("processId", "codeHash");

-- CreateIndex
CREATE INDEX "LinkCodeAttempt_participantId_createdAt_idx" ON "LinkCodeAttempt"("participantId", "createdAt");

-- AddForeignKey
ALTER TABLE "LinkCode" ADD CONSTRAINT "LinkCode_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VerificationCode" ADD CONSTRAINT "VerificationCode_processId_fkey" FOREIGN KEY ("processId") REFERENCES "Process"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VerificationCode" ADD CONSTRAINT "VerificationCode_redeemedById_fkey" FOREIGN KEY ("redeemedById") REFERENCES "Participant"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LinkCodeAttempt" ADD CONSTRAINT "LinkCodeAttempt_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
