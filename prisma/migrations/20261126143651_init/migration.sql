-- CreateEnum
CREATE TYPE "ConsentPurpose" AS ENUM ('participation', 'updates');

-- CreateEnum
CREATE TYPE "ConsentAction" AS ENUM ('given', 'withdrawn');

-- CreateEnum
CREATE TYPE "PhaseKind" AS ENUM ('information', 'proposals', 'debate', 'voting', 'results', 'follow_up');

-- CreateEnum
CREATE TYPE "ModerationMode" AS ENUM ('pre', 'post');

-- CreateEnum
CREATE TYPE "ProposalStatus" AS ENUM ('pending', 'published', 'rejected', 'withdrawn', 'selected', 'not_selected');

-- CreateEnum
CREATE TYPE "CommentStatus" AS ENUM ('pending', 'published', 'rejected', 'hidden');

-- CreateTable
CREATE TABLE "Participant" (
    "id" UUID NOT NULL,
    "locale" TEXT NOT NULL DEFAULT 'es',
    "ageConfirmedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Participant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChannelAccount" (
    "id" UUID NOT NULL,
    "participantId" UUID NOT NULL,
    "channel" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "unreachableAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChannelAccount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PrivacyNotice" (
    "id" SERIAL NOT NULL,
    "version" INTEGER NOT NULL,
    "locale" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "fullText" TEXT NOT NULL,
    "publishedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PrivacyNotice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConsentRecord" (
    "id" BIGSERIAL NOT NULL,
    "participantId" UUID NOT NULL,
    "purpose" "ConsentPurpose" NOT NULL,
    "noticeVersion" INTEGER NOT NULL,
    "action" "ConsentAction" NOT NULL,
    "channel" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConsentRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Process" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "title" JSONB NOT NULL,
    "description" JSONB NOT NULL,
    "timeZone" TEXT NOT NULL DEFAULT 'Europe/Madrid',
    "supportsPerParticipant" INTEGER NOT NULL DEFAULT 3,
    "moderationMode" "ModerationMode" NOT NULL DEFAULT 'pre',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Process_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Phase" (
    "id" SERIAL NOT NULL,
    "processId" INTEGER NOT NULL,
    "kind" "PhaseKind" NOT NULL,
    "position" INTEGER NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "acceptsProposals" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "Phase_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Category" (
    "id" SERIAL NOT NULL,
    "processId" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "label" JSONB NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "Category_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Proposal" (
    "id" SERIAL NOT NULL,
    "processId" INTEGER NOT NULL,
    "authorId" UUID,
    "categoryId" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "status" "ProposalStatus" NOT NULL DEFAULT 'pending',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "publishedAt" TIMESTAMP(3),

    CONSTRAINT "Proposal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Support" (
    "id" BIGSERIAL NOT NULL,
    "proposalId" INTEGER NOT NULL,
    "participantId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Support_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Comment" (
    "id" SERIAL NOT NULL,
    "proposalId" INTEGER NOT NULL,
    "authorId" UUID,
    "parentId" INTEGER,
    "body" TEXT NOT NULL,
    "status" "CommentStatus" NOT NULL DEFAULT 'pending',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Comment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" BIGSERIAL NOT NULL,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "reason" TEXT,
    "sourceIp" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ChannelAccount_participantId_idx" ON "ChannelAccount"("participantId");

-- CreateIndex
CREATE UNIQUE INDEX "ChannelAccount_channel_externalId_key" ON "ChannelAccount"("channel", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "PrivacyNotice_version_locale_key" ON "PrivacyNotice"("version", "locale");

-- CreateIndex
CREATE INDEX "ConsentRecord_participantId_purpose_createdAt_idx" ON "ConsentRecord"("participantId", "purpose", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Process_slug_key" ON "Process"("slug");

-- CreateIndex
CREATE INDEX "Phase_processId_startsAt_idx" ON "Phase"("processId", "startsAt");

-- CreateIndex
CREATE UNIQUE INDEX "Phase_processId_position_key" ON "Phase"("processId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "Category_processId_key_key" ON "Category"("processId", "key");

-- CreateIndex
CREATE INDEX "Proposal_processId_status_idx" ON "Proposal"("processId", "status");

-- CreateIndex
CREATE INDEX "Proposal_authorId_idx" ON "Proposal"("authorId");

-- CreateIndex
CREATE INDEX "Support_participantId_idx" ON "Support"("participantId");

-- CreateIndex
CREATE UNIQUE INDEX "Support_proposalId_participantId_key" ON "Support"("proposalId", "participantId");

-- CreateIndex
CREATE INDEX "Comment_proposalId_status_idx" ON "Comment"("proposalId", "status");

-- CreateIndex
CREATE INDEX "AuditLog_targetType_targetId_idx" ON "AuditLog"("targetType", "targetId");

-- AddForeignKey
ALTER TABLE "ChannelAccount" ADD CONSTRAINT "ChannelAccount_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsentRecord" ADD CONSTRAINT "ConsentRecord_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Phase" ADD CONSTRAINT "Phase_processId_fkey" FOREIGN KEY ("processId") REFERENCES "Process"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Category" ADD CONSTRAINT "Category_processId_fkey" FOREIGN KEY ("processId") REFERENCES "Process"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Proposal" ADD CONSTRAINT "Proposal_processId_fkey" FOREIGN KEY ("processId") REFERENCES "Process"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Proposal" ADD CONSTRAINT "Proposal_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "Participant"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Proposal" ADD CONSTRAINT "Proposal_categoryId_fkey" FOREIGN KEY ("categoryId") REFERENCES "Category"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Support" ADD CONSTRAINT "Support_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Support" ADD CONSTRAINT "Support_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Comment" ADD CONSTRAINT "Comment_proposalId_fkey" FOREIGN KEY ("proposalId") REFERENCES "Proposal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Comment" ADD CONSTRAINT "Comment_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "Participant"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Comment" ADD CONSTRAINT "Comment_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Comment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Append-only ledgers: rows are never rewritten. (Erasure of a participant, a later feature, deletes
-- or pseudonymises through its own migration; plain UPDATEs are refused here.)
CREATE FUNCTION plaza_refuse_update() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "ConsentRecord_append_only" BEFORE UPDATE ON "ConsentRecord"
  FOR EACH ROW EXECUTE FUNCTION plaza_refuse_update();

CREATE TRIGGER "AuditLog_append_only" BEFORE UPDATE ON "AuditLog"
  FOR EACH ROW EXECUTE FUNCTION plaza_refuse_update();
