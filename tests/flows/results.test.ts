// The ranking once voting has closed: the results, as text and as a chart (an image/png attachment whose
// text alternative is the text), and the ranking so far while voting is open.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Chat, consentSteps, press, script, type Step } from '../support/conversation.ts';
import { createProcess, createProposals, type ProcessFixture } from '../support/fixtures.ts';
import { createClosedProcess, createResults, RESULTS_PLAN } from '../support/closed-voting.ts';
import { createTestPlaza, type TestPlaza } from '../support/plaza.ts';
import { imageBase64, imagesOf } from '../../src/engine/types.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let plaza: TestPlaza;
let closed: ProcessFixture;
let open: ProcessFixture;
beforeAll(async () => {
  plaza = await createTestPlaza();
  const db = plaza.database.prisma;
  closed = await createClosedProcess(db, 'Barrios vivos');
  await createResults(db, closed, RESULTS_PLAN);
  open = await createProcess(db, { phase: 'voting', title: 'Votación abierta' });
  await createProposals(db, open, 2);
});
afterAll(() => plaza?.cleanup());

const englishConsent: Step[] = [
  ['hello', /Which language/],
  [press('English'), /14/],
  [press('Yes'), /Do you agree/],
  [press('Yes, I agree'), /Thank you!/],
];

async function rankingOf(process: ProcessFixture, opts: { channelId?: string; english?: boolean } = {}) {
  const chat = new Chat(plaza.engine, { channelId: opts.channelId });
  await script(chat, opts.english ? englishConsent : consentSteps);
  await chat.say(`/start process_${process.slug}`);
  await chat.press('Ranking');
  return chat;
}

describe('results once voting has closed', () => {
  it('shows each proposal with supports, outcome and official answer, and a chart with the text as alt', async () => {
    const chat = await rankingOf(closed);
    const text = chat.text();
    expect(text).toMatch(/Resultados de «Barrios vivos» \(la votación ha terminado\)/);
    expect(text).toMatch(
      /1\. Más autobuses nocturnos — 5 apoyos · 🏅 seleccionada\n {3}Respuesta oficial: Empezarán en enero\./,
    );
    expect(text).toContain('2. Carril bici <script>alert(1)</script> & más — 3 apoyos · no seleccionada');
    expect(text).toContain('3. Fuentes 🚰 en los parques — 1 apoyo · pendiente de decisión');
    const reply = chat.replies.find((r) => imagesOf(r).length > 0)!;
    expect(reply).toBeDefined();
    const [image] = imagesOf(reply);
    expect(image!.contentType).toBe('image/png');
    expect(image!.contentUrl).toMatch(/^data:image\/png;base64,/);
    expect(image!.name).toBe(reply.text);
    const png = Buffer.from(imageBase64(image!), 'base64');
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(png.length).toBeGreaterThan(5_000);
    // The menu comes back after the results.
    expect(chat.buttons().length).toBeGreaterThan(0);
  });

  it('in English', async () => {
    const chat = await rankingOf(closed, { english: true });
    expect(chat.text()).toMatch(/Results of "Process p-[0-9a-f]+" \(voting has closed\)/);
    expect(chat.text()).toContain('1 support · awaiting a decision');
    expect(chat.replies.some((r) => imagesOf(r).length === 1)).toBe(true);
  });

  it('a channel that cannot show images gets the text only', async () => {
    const chat = await rankingOf(closed, { channelId: 'console' });
    expect(chat.text()).toMatch(/Resultados de «Barrios vivos»/);
    expect(chat.replies.every((r) => (r.attachments ?? []).length === 0)).toBe(true);
  });

  it('while voting is open: the ranking so far, no chart', async () => {
    const chat = await rankingOf(open);
    expect(chat.text()).toMatch(/Ranking de «Votación abierta»:/);
    expect(chat.text()).toMatch(/1\. Propuesta de prueba número 1 — 0 apoyos/);
    expect(chat.replies.every((r) => (r.attachments ?? []).length === 0)).toBe(true);
  });
});
