// «Mis datos» → withdraw the `updates` consent: the question says what withdrawing stops and what still
// comes, and both are what the code does. It stops process news and the news of proposals one supports or
// follows; news of one's own proposals, workshop registrations and data keep coming (record-proposal-notices,
// record-commitment-notices, record-event-notices, warn-inactive-participants: deliberate).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordProposalNotices } from '../../src/domain/record-proposal-notices.ts';
import { Chat, consentSteps, englishConsentSteps, press, script } from '../support/conversation.ts';
import { createProcess, createProposal } from '../support/fixtures.ts';
import { createTestPlaza, type TestPlaza } from '../support/plaza.ts';

let plaza: TestPlaza;
const db = () => plaza.database.prisma;
beforeAll(async () => {
  plaza = await createTestPlaza();
});
afterAll(() => plaza?.cleanup());

async function withUpdatesConsent(chat: Chat): Promise<string> {
  const { participantId } = await db().channelAccount.findFirstOrThrow({
    where: { externalId: chat.userId },
  });
  await db().consentRecord.create({
    data: { participantId, purpose: 'updates', action: 'given', noticeVersion: 1, channel: 'webchat' },
  });
  return participantId;
}

describe('withdrawing the updates consent', () => {
  it('says, in Spanish, what stops and what still comes — and that is what happens', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, consentSteps);
    const me = await withUpdatesConsent(chat);
    const process = await createProcess(db());
    const mine = await createProposal(db(), process, { authorId: me, status: 'selected' });
    const supported = await createProposal(db(), process, { status: 'selected' });
    await db().support.create({ data: { proposalId: supported, participantId: me } });

    await script(chat, [
      ['mis datos', /Consentimientos vigentes: participar, recibir novedades/],
      [press('Retirar un consentimiento'), /¿Qué consentimiento quieres retirar\?/],
      [
        press('recibir novedades'),
        [
          /¿Dejar de recibir novedades\? Te darás de baja de todos los procesos/,
          /no te avisaremos de las propuestas que apoyas o sigues/,
          /Sí te seguiremos avisando de tus propias propuestas, tus inscripciones a talleres y tus datos\./,
        ],
      ],
    ]);
    expect(chat.text()).not.toMatch(/no te llegarán más avisos/);
    await script(chat, [[press('Sí'), /ya no recibirás novedades/]]);

    // The administration answers both proposals: only the news of their own reaches them.
    const at = Date.now();
    await recordProposalNotices(plaza.domain, { proposalId: mine, at });
    await recordProposalNotices(plaza.domain, { proposalId: supported, at });
    const notices = await db().notice.findMany({ where: { participantId: me, kind: 'proposal-outcome' } });
    expect(notices.map((n) => n.eventKey)).toEqual([`outcome:${mine}:${at}`]);
  });

  it('says it in English too, without promising no more notices', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, englishConsentSteps);
    await withUpdatesConsent(chat);
    await script(chat, [
      ['my data', /Consents in force: taking part, receiving updates/],
      [press('Withdraw a consent'), /Which consent do you want to withdraw\?/],
      [
        press('receiving updates'),
        [
          /Stop receiving updates\? You will be unsubscribed from every process/,
          /get no news of proposals you support or follow/,
          /We will still tell you about your own proposals, your workshop registrations and your data\./,
        ],
      ],
    ]);
    expect(chat.text()).not.toMatch(/no more notices/);
  });
});
