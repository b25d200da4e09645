// A support on a proposal that left public view (hidden by reports, taken down) no longer takes one of the
// person's supports: they could not reach it to withdraw it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Chat, consentSteps, press, script } from '../support/conversation.ts';
import { createProcess, createProposal } from '../support/fixtures.ts';
import { createTestPlaza, type TestPlaza } from '../support/plaza.ts';

let plaza: TestPlaza;
const db = () => plaza.database.prisma;
beforeAll(async () => {
  plaza = await createTestPlaza();
});
afterAll(() => plaza?.cleanup());

describe('supports on proposals no longer public', () => {
  it.each([
    ['hidden by reports', { status: 'hidden', hiddenFrom: 'published' }],
    ['taken down', { status: 'rejected' }],
  ] as const)('a supported proposal %s frees its support for another', async (_, data) => {
    const proc = await createProcess(db(), { phase: 'voting', supportsPerParticipant: 1, title: 'Votación' });
    const a = await createProposal(db(), proc, { title: 'Propuesta A que luego se oculta' });
    const b = await createProposal(db(), proc, { title: 'Propuesta B que quiero apoyar' });
    const chat = new Chat(plaza.engine);
    await script(chat, [
      ...consentSteps,
      [`/start proposal_${a}`, /Propuesta A/],
      [press('Apoyar'), /Has usado 1 de 1 apoyos; te quedan 0/],
    ]);
    await db().proposal.update({ where: { id: a }, data });
    await script(chat, [
      [`/start proposal_${a}`, /No he encontrado esa propuesta/],
      [`/start proposal_${b}`, /Propuesta B/],
      [press('Apoyar'), /Has usado 1 de 1 apoyos; te quedan 0/],
    ]);
    expect(chat.text()).not.toMatch(/Ya has usado/);
  });
});
