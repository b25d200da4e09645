-- CreateEnum
CREATE TYPE "ModerationItemKind" AS ENUM ('proposal', 'comment');

-- CreateEnum
CREATE TYPE "ModerationCaseReason" AS ENUM ('submitted', 'reported');

-- CreateEnum
CREATE TYPE "ModerationDecision" AS ENUM ('approve', 'reject', 'redact_approve');

-- CreateEnum
CREATE TYPE "StaffRole" AS ENUM ('admin', 'staff', 'moderator');

-- AlterEnum
ALTER TYPE "ProposalStatus" ADD VALUE 'hidden';

-- AlterTable
ALTER TABLE "Comment" ADD COLUMN     "locale" TEXT NOT NULL DEFAULT 'es',
ADD COLUMN     "moderatedAt" TIMESTAMP(3),
ADD COLUMN     "publishedAt" TIMESTAMP(3),
ADD COLUMN     "rejectionReason" TEXT;

-- AlterTable
ALTER TABLE "Process" ADD COLUMN     "reportThreshold" INTEGER NOT NULL DEFAULT 3;

-- AlterTable
ALTER TABLE "Proposal" ADD COLUMN     "moderatedAt" TIMESTAMP(3),
ADD COLUMN     "rejectionReason" TEXT;

-- CreateTable
CREATE TABLE "ModerationCase" (
    "id" SERIAL NOT NULL,
    "processId" INTEGER NOT NULL,
    "itemKind" "ModerationItemKind" NOT NULL,
    "proposalId" INTEGER,
    "commentId" INTEGER,
    "reason" "ModerationCaseReason" NOT NULL,
    "findings" JSONB,
    "prescreenedAt" TIMESTAMP(3),
    "announcedAt" TIMESTAMP(3),
    "openedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedAt" TIMESTAMP(3),
    "decidedById" UUID,
    "decision" "ModerationDecision",
    "decisionReason" TEXT,
    "settledAt" TIMESTAMP(3),

    CONSTRAINT "ModerationCase_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StaffMember" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "role" "StaffRole" NOT NULL,
    "telegramUserId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabledAt" TIMESTAMP(3),

    CONSTRAINT "StaffMember_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" UUID NOT NULL,
    "staffMemberId" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),
    "lastUsedAt" TIMESTAMP(3),

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContentReport" (
    "id" BIGSERIAL NOT NULL,
    "itemKind" "ModerationItemKind" NOT NULL,
    "proposalId" INTEGER,
    "commentId" INTEGER,
    "participantId" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ContentReport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProposalFollow" (
    "proposalId" INTEGER NOT NULL,
    "participantId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProposalFollow_pkey" PRIMARY KEY ("proposalId","participantId")
);

-- CreateTable
CREATE TABLE "Notice" (
    "id" BIGSERIAL NOT NULL,
    "participantId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "eventKey" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "channel" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" TIMESTAMP(3),
    "deliveredVia" TEXT,

    CONSTRAINT "Notice_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ModerationCase_decidedAt_openedAt_idx" ON "ModerationCase"("decidedAt", "openedAt");

-- CreateIndex
CREATE INDEX "ModerationCase_processId_decidedAt_idx" ON "ModerationCase"("processId", "decidedAt");

-- CreateIndex
CREATE INDEX "ModerationCase_proposalId_idx" ON "ModerationCase"("proposalId");

-- CreateIndex
CREATE INDEX "ModerationCase_commentId_idx" ON "ModerationCase"("commentId");

-- CreateIndex
CREATE UNIQUE INDEX "StaffMember_telegramUserId_key" ON "StaffMember"("telegramUserId");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- CreateIndex
CREATE INDEX "ApiToken_staffMemberId_idx" ON "ApiToken"("staffMemberId");

-- CreateIndex
CREATE INDEX "ContentReport_participantId_idx" ON "ContentReport"("participantId");

-- CreateIndex
CREATE UNIQUE INDEX "ContentReport_proposalId_participantId_key" ON "ContentReport"("proposalId", "participantId");

-- CreateIndex
CREATE UNIQUE INDEX "ContentReport_commentId_participantId_key" ON "ContentReport"("commentId", "participantId");

-- CreateIndex
CREATE INDEX "ProposalFollow_participantId_idx" ON "ProposalFollow"("participantId");

-- CreateIndex
CREATE INDEX "Notice_participantId_channel_deliveredAt_idx" ON "Notice"("participantId", "channel", "deliveredAt");

-- CreateIndex
CREATE UNIQUE INDEX "Notice_participantId_eventKey_key" ON "Notice"("participantId", "eventKey");

-- CreateIndex
CREATE INDEX "AuditLog_createdAt_idx" ON "AuditLog"("createdAt");

-- CreateIndex
CREATE INDEX "Comment_authorId_idx" ON "Comment"("authorId");

-- AddForeignKey
ALTER TABLE "ModerationCase" ADD CONSTRAINT "ModerationCase_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModerationCase" ADD CONSTRAINT "ModerationCase_commentId_fkey" FOREIGN KEY ("commentId") REFERENCES "Comment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModerationCase" ADD CONSTRAINT "ModerationCase_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "StaffMember"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_staffMemberId_fkey" FOREIGN KEY ("staffMemberId") REFERENCES "StaffMember"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContentReport" ADD CONSTRAINT "ContentReport_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContentReport" ADD CONSTRAINT "ContentReport_commentId_fkey" FOREIGN KEY ("commentId") REFERENCES "Comment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContentReport" ADD CONSTRAINT "ContentReport_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProposalFollow" ADD CONSTRAINT "ProposalFollow_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProposalFollow" ADD CONSTRAINT "ProposalFollow_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notice" ADD CONSTRAINT "Notice_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- At most one open case per item: a report reaching the threshold twice, or a job run twice, opens one.
CREATE UNIQUE INDEX "ModerationCase_open_proposal" ON "ModerationCase"("proposalId")
  WHERE "decidedAt" IS NULL AND "itemKind" = 'proposal';
CREATE UNIQUE INDEX "ModerationCase_open_comment" ON "ModerationCase"("commentId")
  WHERE "decidedAt" IS NULL AND "itemKind" = 'comment';

-- The audit log is append-only for every role the application uses: no UPDATE, no DELETE, no TRUNCATE.
CREATE TRIGGER "AuditLog_no_delete" BEFORE DELETE ON "AuditLog"
  FOR EACH ROW EXECUTE FUNCTION plaza_refuse_update();
CREATE TRIGGER "AuditLog_no_truncate" BEFORE TRUNCATE ON "AuditLog"
  FOR EACH STATEMENT EXECUTE FUNCTION plaza_refuse_update();
