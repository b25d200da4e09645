-- CreateEnum
CREATE TYPE "CommitmentStatus" AS ENUM ('planned', 'in_progress', 'done', 'cancelled');

-- CreateTable
CREATE TABLE "Commitment" (
    "id" SERIAL NOT NULL,
    "processId" INTEGER NOT NULL,
    "title" JSONB NOT NULL,
    "description" JSONB,
    "department" TEXT NOT NULL,
    "dueDate" DATE,
    "status" "CommitmentStatus" NOT NULL DEFAULT 'planned',
    "progress" INTEGER NOT NULL DEFAULT 0,
    "evidence" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Commitment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CommitmentProposal" (
    "commitmentId" INTEGER NOT NULL,
    "proposalId" INTEGER NOT NULL,

    CONSTRAINT "CommitmentProposal_pkey" PRIMARY KEY ("commitmentId","proposalId")
);

-- CreateTable
CREATE TABLE "CommitmentUpdate" (
    "id" BIGSERIAL NOT NULL,
    "commitmentId" INTEGER NOT NULL,
    "status" "CommitmentStatus" NOT NULL,
    "progress" INTEGER NOT NULL,
    "note" TEXT,
    "evidence" TEXT,
    "staffMemberId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CommitmentUpdate_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Commitment_processId_idx" ON "Commitment"("processId");

-- CreateIndex
CREATE INDEX "CommitmentProposal_proposalId_idx" ON "CommitmentProposal"("proposalId");

-- CreateIndex
CREATE INDEX "CommitmentUpdate_commitmentId_createdAt_idx" ON "CommitmentUpdate"("commitmentId", "createdAt");

-- AddForeignKey
ALTER TABLE "Commitment" ADD CONSTRAINT "Commitment_processId_fkey" FOREIGN KEY ("processId") REFERENCES "Process"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommitmentProposal" ADD CONSTRAINT "CommitmentProposal_commitmentId_fkey" FOREIGN KEY ("commitmentId") REFERENCES "Commitment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommitmentProposal" ADD CONSTRAINT "CommitmentProposal_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommitmentUpdate" ADD CONSTRAINT "CommitmentUpdate_commitmentId_fkey" FOREIGN KEY ("commitmentId") REFERENCES "Commitment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommitmentUpdate" ADD CONSTRAINT "CommitmentUpdate_staffMemberId_fkey" FOREIGN KEY ("staffMemberId") REFERENCES "StaffMember"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- A phase's opening is announced to the process's subscribers by a broadcast scheduled for its start.
ALTER TABLE "Phase" ADD COLUMN "announcementId" INTEGER;
