// The staff dashboard's moderation queue as staff use it: a case card's two forms (Enter in the reason box
// can only reject; an approval carrying a reason is refused), every open case reachable a page at a time
// and by filter, cut-off lists that say so and lead on, the pre-screen's findings in words, right-to-left
// texts isolated, the scroll regions reachable from the keyboard, and a refusal's address safe to reload.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCase, createParticipant, createProcess, type ProcessFixture } from '../support/fixtures.ts';
import { createDashboardTest, csrfOf, type DashboardTest } from './dashboard-support.ts';

let t: DashboardTest;
let process: ProcessFixture;
beforeAll(async () => {
  t = await createDashboardTest();
  process = await createProcess(t.db, {
    phase: 'proposals',
    acceptsProposals: true,
    title: 'Plazas y calles',
  });
});
afterAll(() => t?.close());

async function signedIn(role: 'admin' | 'staff' | 'moderator', name?: string) {
  const staff = await t.staffWithToken({ role, name });
  const client = t.client();
  expect((await client.signIn(staff.token)).status).toBe(303);
  const page = await client.request('/admin');
  expect(page.status).toBe(200);
  return { staff, client, csrf: csrfOf(page.text), page };
}

const caseState = (caseId: number) =>
  t.db.moderationCase.findUniqueOrThrow({
    where: { id: caseId },
    select: { decidedAt: true, decision: true, decisionReason: true },
  });

/** Leaves one case open: the one a test looks at is on the first page whatever earlier tests left. */
const onlyOpen = (caseId: number) =>
  t.db.moderationCase.updateMany({
    where: { decidedAt: null, id: { not: caseId } },
    data: { decidedAt: new Date() },
  });

/** A case's card in a page. */
function card(page: string, caseId: number): string {
  const match = new RegExp(`<article class="case" id="case-${caseId}"[^]*?</article>`).exec(page);
  if (!match) throw new Error(`no card for case ${caseId}`);
  return match[0];
}

/** Every form of a piece of HTML: its action and its markup. */
function forms(html: string): { action: string; markup: string }[] {
  return [...html.matchAll(/<form\b[^>]*\baction="([^"]*)"[^>]*>([^]*?)<\/form>/g)].map((m) => ({
    action: m[1]!.replace(/&amp;/g, '&'),
    markup: m[2]!,
  }));
}

/**
 * What a browser sends when Enter is pressed in a form's text field (implicit submission, HTML § 4.10.21.2):
 * the form's fields, with the first submit button as the submitter.
 */
function implicitSubmission(markup: string, typed: Record<string, string>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const input of markup.matchAll(/<input\b([^>]*)>/g)) {
    const name = /\bname="([^"]*)"/.exec(input[1]!)?.[1];
    const value = /\bvalue="([^"]*)"/.exec(input[1]!)?.[1] ?? '';
    if (name) fields[name] = typed[name] ?? value;
  }
  for (const select of markup.matchAll(/<select\b[^>]*\bname="([^"]*)"/g))
    fields[select[1]!] = typed[select[1]!] ?? '';
  const submitter = /<button\b([^>]*)>/.exec(markup)?.[1] ?? '';
  const name = /\bname="([^"]*)"/.exec(submitter)?.[1];
  if (name) fields[name] = /\bvalue="([^"]*)"/.exec(submitter)?.[1] ?? '';
  return fields;
}

describe('a case card', () => {
  it('submits a rejection, with the typed reason, when Enter is pressed in the reason box', async () => {
    const { client } = await signedIn('moderator', 'Mo');
    const { caseId } = await createCase(t.db, process);
    const page = (await client.request('/admin')).text;
    const withReason = forms(card(page, caseId)).find((f) => f.markup.includes('name="reason"'));
    expect(withReason, card(page, caseId)).toBeDefined();
    // The reason's form holds no approval: its one button rejects.
    expect(withReason!.markup).not.toMatch(/value="approve"|value="redact_approve"/);
    expect(withReason!.markup.match(/<button\b/g)).toHaveLength(1);
    const sent = implicitSubmission(withReason!.markup, { reason: 'Contiene insultos, rechazar' });
    expect(sent.decision).toBe('reject');
    const answer = await client.post(withReason!.action, sent);
    expect(answer.status).toBe(303);
    expect(await caseState(caseId)).toMatchObject({
      decision: 'reject',
      decisionReason: 'Contiene insultos, rechazar',
    });
  });

  it('keeps each control labelled, in the order approve, redact, reason, reject', async () => {
    const { client } = await signedIn('moderator');
    const { caseId } = await createCase(t.db, process);
    const html = card((await client.request('/admin')).text, caseId);
    expect(html).toContain(`<label for="preset-${caseId}">`);
    expect(html).toContain(`id="preset-${caseId}"`);
    expect(html).toContain(`<label for="reason-${caseId}">`);
    expect(html).toContain(`id="reason-${caseId}"`);
    const order = [
      'value="approve"',
      'value="redact_approve"',
      'name="preset"',
      'name="reason"',
      '>Rechazar<',
    ];
    const at = order.map((s) => html.indexOf(s));
    expect(
      at.every((i) => i >= 0),
      JSON.stringify(at),
    ).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // The approval form carries no reason field at all.
    const approve = forms(html).find((f) => f.markup.includes('value="approve"'))!;
    expect(approve.markup).not.toMatch(/name="reason"|name="preset"/);
    await t.db.moderationCase.update({ where: { id: caseId }, data: { decidedAt: new Date() } });
  });

  it('refuses an approval that carries a reason or a preset: nothing decided, 422, the reason given back', async () => {
    const { client, csrf } = await signedIn('moderator');
    const typed = await createCase(t.db, process);
    const preset = await createCase(t.db, process, { body: 'Llamadme al 612345678 para hablarlo.' });
    const path = (id: number) => `/admin/ui/moderation/${id}/decide`;

    const approve = await client.post(path(typed.caseId), {
      _csrf: csrf,
      lang: 'es',
      decision: 'approve',
      preset: '',
      reason: 'spam, reject this',
    });
    expect(approve.status).toBe(422);
    expect(approve.text).toContain('no se ha decidido nada');
    expect(approve.text).toContain('Un motivo solo acompaña a un rechazo');
    expect(approve.text).toContain('pulsa «Rechazar»');
    expect(await caseState(typed.caseId)).toMatchObject({ decidedAt: null, decision: null });
    // Given back in the card, so Reject is one press away.
    expect(card(approve.text, typed.caseId)).toContain('value="spam, reject this"');

    const redact = await client.post(path(preset.caseId), {
      _csrf: csrf,
      lang: 'en',
      decision: 'redact_approve',
      preset: 'spam',
    });
    expect(redact.status).toBe(422);
    expect(redact.text).toContain('A reason goes with a rejection only');
    expect(await caseState(preset.caseId)).toMatchObject({ decidedAt: null });
    expect(card(redact.text, preset.caseId)).toMatch(/<option value="spam"\s+selected/);

    // Empty fields (an older page's single form) are no reason: the approval goes through.
    const plain = await client.post(path(typed.caseId), {
      _csrf: csrf,
      decision: 'approve',
      preset: '',
      reason: '  ',
    });
    expect(plain.status).toBe(303);
    expect(await caseState(typed.caseId)).toMatchObject({ decision: 'approve', decisionReason: null });
    await t.db.moderationCase.update({ where: { id: preset.caseId }, data: { decidedAt: new Date() } });
  });
});

describe('reaching every open case', () => {
  it('pages the queue with its cursor, filters by process and origin, and keeps the page after a decision', async () => {
    const own = await createProcess(t.db, { title: 'Proceso con muchos casos' });
    const cases: number[] = [];
    for (let i = 0; i < 23; i++) cases.push((await createCase(t.db, own)).caseId);
    const { client, csrf } = await signedIn('moderator');

    const first = await client.request(`/admin?process=${own.id}`);
    expect(first.status).toBe(200);
    const shown = (html: string) =>
      [...html.matchAll(/<article class="case" id="case-(\d+)"/g)].map((m) => Number(m[1]));
    expect(shown(first.text)).toEqual(cases.slice(0, 20));
    expect(first.text).toContain(
      '23 casos esperan. Se muestran los 20 más antiguos primero. Quedan 3 más después de estos.',
    );
    const next = /<a href="([^"]+)" rel="next">Casos siguientes/
      .exec(first.text)?.[1]
      ?.replace(/&amp;/g, '&');
    expect(next).toMatch(new RegExp(`^/admin\\?lang=es&process=${own.id}&after=[A-Za-z0-9_-]+#moderation$`));

    const second = await client.request(next!);
    expect(second.status).toBe(200);
    expect(shown(second.text)).toEqual(cases.slice(20));
    expect(second.text).toContain('Se muestran los 3 siguientes por antigüedad.');
    expect(second.text).not.toContain('rel="next"');
    expect(second.text).toContain(
      `href="/admin?lang=es&amp;process=${own.id}#moderation">Volver a los más antiguos`,
    );

    // A decision from the second page comes back to it.
    const form = forms(card(second.text, cases[21]!)).find((f) => f.markup.includes('value="approve"'))!;
    expect(form.action).toContain('after=');
    const decided = await client.post(form.action, { _csrf: csrf, lang: 'es', decision: 'approve' });
    expect(decided.status).toBe(303);
    const location = decided.headers.get('location')!;
    expect(location).toMatch(new RegExp(`^/admin\\?lang=es&decided=${cases[21]}&process=${own.id}&after=`));
    const back = await client.request(location);
    expect(shown(back.text)).toEqual([cases[20], cases[22]]);

    // Origin: none of these was reported.
    const reported = await client.request(`/admin?process=${own.id}&reason=reported`);
    expect(shown(reported.text)).toEqual([]);
    expect(reported.text).toContain('Nada pendiente con este filtro.');
    // The filter form's «all» (empty fields) is no filter; a cursor that is not one starts over, said so.
    expect((await client.request('/admin?process=&reason=')).status).toBe(200);
    const stale = await client.request(`/admin?process=${own.id}&after=bm90LWEtY3Vyc29y`);
    expect(stale.status).toBe(200);
    expect(stale.text).toContain('Esa página de la cola ya no sirve');
    expect(shown(stale.text)[0]).toBe(cases[0]);

    await t.db.moderationCase.updateMany({ where: { processId: own.id }, data: { decidedAt: new Date() } });
  });

  it('ends the queue sentence with a full stop, one case or many', async () => {
    const own = await createProcess(t.db);
    await createCase(t.db, own);
    const { client } = await signedIn('moderator');
    const one = await client.request(`/admin?process=${own.id}`);
    expect(one.text).toContain('<p>1 caso espera.</p>');
    const en = await client.request(`/admin?process=${own.id}&lang=en`);
    expect(en.text).toContain('<p>1 case waiting.</p>');
    await createCase(t.db, own);
    expect((await client.request(`/admin?process=${own.id}`)).text).toContain('<p>2 casos esperan.</p>');
    await t.db.moderationCase.updateMany({ where: { processId: own.id }, data: { decidedAt: new Date() } });
  });

  it('says when there are more broadcasts and processes than shown, and leads to them', async () => {
    const creator = await t.staffWithToken({ role: 'staff', name: 'Difusora' });
    for (let i = 0; i < 12; i++)
      await t.db.broadcast.create({
        data: {
          processId: process.id,
          createdById: creator.id,
          texts: { es: `Difusión número ${i + 1}` },
          audience: {},
          status: 'done',
        },
      });
    while ((await t.db.process.count()) <= 21) await createProcess(t.db);
    const { client } = await signedIn('staff');
    const page = (await client.request('/admin')).text;

    const broadcastRows = (html: string) => [...html.matchAll(/<tr data-broadcast="/g)].length;
    expect(broadcastRows(page)).toBe(10);
    expect(page).toContain('Difusiones 1–10, de la más reciente a la más antigua; hay más.');
    const older = /<a\s+href="([^"]+)"\s+rel="next"\s*>Difusiones anteriores/
      .exec(page)?.[1]
      ?.replace(/&amp;/g, '&');
    expect(older).toMatch(/^\/admin\?lang=es&broadcastsAfter=\d+#broadcasts$/);
    const second = (await client.request(older!)).text;
    expect(broadcastRows(second)).toBe(2);
    expect(second).toContain('Difusión número 1<');
    expect(second).toContain('Se muestran 2 difusiones más antiguas');

    const processRows = (html: string) => [...html.matchAll(/<tr data-process="/g)].length;
    expect(processRows(page)).toBe(20);
    expect(page).toContain('Se muestran los 20 procesos más recientes; hay más.');
    const all = /<a href="([^"]+)"\s*>Ver hasta 50 procesos/.exec(page)?.[1]?.replace(/&amp;/g, '&');
    expect(all).toBe('/admin?lang=es&processes=all#figures');
    const everything = (await client.request(all!)).text;
    expect(processRows(everything)).toBe(Math.min(50, await t.db.process.count()));
  });
});

describe('what a card says', () => {
  it("names the pre-screen's findings in words, says where the personal data is without repeating it, and the reports' reasons", async () => {
    const { caseId, proposalId } = await createCase(t.db, process, {
      title: 'Escribidme a vecina@example.org',
      body: 'Llamad al 612345678 para quedar. QUE ALGUIEN HAGA ALGO YAAAAA',
    });
    await t.db.moderationCase.update({
      where: { id: caseId },
      data: {
        prescreenedAt: new Date(),
        findings: [
          { kind: 'personal-data', what: 'email', start: 12, end: 31 },
          { kind: 'personal-data', what: 'phone', start: 41, end: 50 },
          { kind: 'shouting' },
          { kind: 'repeated-characters', start: 0, end: 1 },
          { kind: 'near-duplicate', matches: [{ id: 12, score: 0.871 }] },
        ],
      },
    });
    for (const reason of ['insults', 'insults', 'spam']) {
      const who = await createParticipant(t.db);
      await t.db.contentReport.create({
        data: { itemKind: 'proposal', proposalId, participantId: who.id, reason },
      });
    }
    await onlyOpen(caseId);
    const { client } = await signedIn('moderator');
    const page = (await client.request('/admin')).text;
    const html = card(page, caseId).replace(/\s+/g, ' ');
    expect(html).toContain(
      'Avisos del filtro: Datos personales: correo (en el título), teléfono (en el texto); Escrito en mayúsculas; Caracteres repetidos; Parecida a las propuestas #12 (87 %).',
    );
    const findings = /<p class="meta findings">[^]*?<\/p>/.exec(html)![0];
    expect(findings).not.toMatch(/near-duplicate|personal-data|repeated-characters|shouting/);
    expect(html).toContain('Denuncias: 3 (insultos ×2, spam ×1)');
    // Where: marked in the text, which the card shows once; never copied elsewhere.
    expect(html).toContain('<mark title="teléfono">612345678</mark>');
    expect(html).toContain('<mark title="correo">vecina@example.org</mark>');
    expect(page.split('612345678')).toHaveLength(2);
    expect(page.split('vecina@example.org')).toHaveLength(2);

    const en = card((await client.request('/admin?lang=en')).text, caseId).replace(/\s+/g, ' ');
    expect(en).toContain(
      'Pre-screen: Personal data: e-mail (in the title), phone (in the text); Written in capitals',
    );
    await t.db.moderationCase.update({ where: { id: caseId }, data: { decidedAt: new Date() } });
  });

  it('isolates right-to-left texts, so the ids next to them keep their place', async () => {
    const arabic = 'مقترح لحديقة عامة جديدة في الحي';
    const rtl = await createProcess(t.db, { title: arabic });
    const { caseId } = await createCase(t.db, rtl, { title: arabic, body: `${arabic}\u202E abc` });
    await onlyOpen(caseId);
    const { client } = await signedIn('admin', 'سارة');
    const page = (await client.request('/admin')).text;
    expect(page).toContain(
      `<td class="title"><bdi>${arabic}</bdi> <span class="muted">#${rtl.id}</span></td>`,
    );
    const html = card(page, caseId);
    expect(html).toContain(`<bdi>${arabic}</bdi> ·`);
    expect(html).toMatch(/<p class="item-title" dir="auto">/);
    expect(html).toMatch(/<p class="item-body" dir="auto">/);
    expect(page).toContain('<bdi>سارة</bdi>');
    await t.db.moderationCase.update({ where: { id: caseId }, data: { decidedAt: new Date() } });
  });
});

describe('the page from the keyboard and on a narrow screen', () => {
  it('makes each scrolling table a named, focusable region, with the report link next to the process', async () => {
    const creator = await t.staffWithToken({ role: 'staff' });
    await t.db.broadcast.create({
      data: {
        processId: process.id,
        createdById: creator.id,
        texts: { es: 'Hola' },
        audience: {},
        status: 'done',
      },
    });
    const newest = await createProcess(t.db, { title: 'El más reciente' });
    const { page } = await signedIn('staff');
    const regions = [...page.text.matchAll(/<div class="scroll"([^>]*)>/g)].map((m) => m[1]!);
    expect(regions.length).toBeGreaterThanOrEqual(2);
    for (const attrs of regions) {
      expect(attrs).toContain('tabindex="0"');
      expect(attrs).toContain('role="region"');
      const named = /aria-labelledby="([^"]+)"/.exec(attrs)?.[1];
      expect(page.text).toContain(`id="${named}"`);
    }
    // The report is the process's second column: visible without scrolling the table sideways.
    const row = new RegExp(`<tr data-process="${newest.id}">[^]*?</tr>`).exec(page.text)![0];
    const cells = [...row.matchAll(/<td\b[^]*?<\/td>/g)].map((m) => m[0]);
    expect(cells[1]).toContain(`href="/admin/processes/${newest.id}/report"`);
  });
});

describe('a refusal', () => {
  it('leaves an address that a reload or the history opens harmlessly: back to the case on the dashboard', async () => {
    const { client, csrf } = await signedIn('moderator');
    const { caseId } = await createCase(t.db, process);
    const refused = await client.post(`/admin/ui/moderation/${caseId}/decide`, {
      _csrf: csrf,
      decision: 'reject',
      preset: '',
      reason: '',
    });
    expect(refused.status).toBe(422);
    const reopened = await client.request(`/admin/ui/moderation/${caseId}/decide`);
    expect(reopened.status).toBe(303);
    expect(reopened.headers.get('location')).toBe(`/admin?lang=es#case-${caseId}`);
    const paged = await client.request(
      `/admin/ui/moderation/${caseId}/decide?process=${process.id}&after=abc`,
      {
        headers: { 'accept-language': 'en' },
      },
    );
    expect(paged.headers.get('location')).toBe(
      `/admin?lang=en&process=${process.id}&after=abc#case-${caseId}`,
    );
    expect((await client.request('/admin/ui/logout')).status).toBe(303);
    expect(await caseState(caseId)).toMatchObject({ decidedAt: null });
    await t.db.moderationCase.update({ where: { id: caseId }, data: { decidedAt: new Date() } });
  });
});
