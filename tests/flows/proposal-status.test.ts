// A proposal's own page, as its author reads it when it is not public: one that was public and was taken
// down says so; one that never was says it was not published.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { decideModeration } from '../../src/domain/decide-moderation.ts';
import { Chat, consentSteps, script } from '../support/conversation.ts';
import { createCase, createProcess, createStaffMember } from '../support/fixtures.ts';
import { createTestPlaza, type TestPlaza } from '../support/plaza.ts';

let plaza: TestPlaza;
let mod: { id: string };
const db = () => plaza.database.prisma;
beforeAll(async () => {
  plaza = await createTestPlaza();
  mod = await createStaffMember(db());
});
afterAll(() => plaza?.cleanup());

async function participantOf(chat: Chat): Promise<string> {
  const account = await db().channelAccount.findFirstOrThrow({ where: { externalId: chat.userId } });
  return account.participantId;
}

/** A proposal of this chat's participant, rejected by a moderator; public before that if `wasPublic`. */
async function rejectedProposal(chat: Chat, title: string, wasPublic: boolean): Promise<number> {
  const process = await createProcess(db(), { phase: 'proposals', title: 'Barrio' });
  if (wasPublic) await db().process.update({ where: { id: process.id }, data: { moderationMode: 'post' } });
  const { caseId, proposalId } = await createCase(db(), process, {
    authorId: await participantOf(chat),
    status: wasPublic ? 'published' : 'pending',
    title,
  });
  if (wasPublic) await db().proposal.update({ where: { id: proposalId }, data: { publishedAt: new Date() } });
  const r = await decideModeration(plaza.domain, {
    caseId,
    staffMemberId: mod.id,
    decision: 'reject',
    reason: 'spam',
  });
  if (!r.ok) throw new Error(r.reason);
  return proposalId;
}

describe('the status line of one’s own proposal', () => {
  it('a proposal taken down after it was public says so, not "not published"', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, consentSteps);
    const proposalId = await rejectedProposal(chat, 'Era pública', true);
    await script(chat, [
      [`/start proposal_${proposalId}`, /^#\d+ Era pública\n.*\n✖ Retirada por el equipo de moderación\.\n/],
    ]);
  });

  it('a proposal rejected before it was ever public says it was not published', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, consentSteps);
    const proposalId = await rejectedProposal(chat, 'Nunca pública', false);
    await script(chat, [[`/start proposal_${proposalId}`, /^#\d+ Nunca pública\n.*\n✖ No publicada\.\n/]]);
  });

  it('in English too', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, [
      ['hello', /Which language/],
      ['English', /Are you 14 or older\?/],
      ['yes', /Do you agree/],
      ['Yes, I agree', /What would you like to do\?/],
    ]);
    const proposalId = await rejectedProposal(chat, 'Was public', true);
    await script(chat, [
      [`/start proposal_${proposalId}`, /^#\d+ Was public\n.*\n✖ Taken down by the moderators\.\n/],
    ]);
  });
});
