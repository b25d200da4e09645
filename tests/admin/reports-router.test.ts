import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerAuth, requireRole } from '../../src/admin/auth.ts';
import { buildOpenApiDocument } from '../../src/admin/openapi.ts';
import { renderReportHtml } from '../../src/admin/report-html.ts';
import { createReportsRouter, REPORT_ROLES, reportRoutes } from '../../src/admin/reports-router.ts';
import { OPEN_DATA_TABLE_NAMES, OPEN_DATA_TABLES } from '../../src/domain/export-open-data.ts';
import { getProcessReport } from '../../src/domain/get-process-report.ts';
import {
  createProcess,
  createProposal,
  createStaffMember,
  type ProcessFixture,
} from '../support/fixtures.ts';
import { createAdminTest, type AdminTest } from './harness.ts';

type Staff = Awaited<ReturnType<AdminTest['staffWithToken']>>;

// The router mounted as admin-router.ts will mount it: /admin/processes, behind bearerAuth and the roles.
let t: AdminTest & { close(): Promise<void> };
let staff: Staff;
let admin: Staff;
let moderator: Staff;
let proc: ProcessFixture;

const XSS_TITLE = '<script>alert("título")</script>';
const XSS_PROPOSAL = '<img src=x onerror=alert(1)> & "comillas"';
const FORMULAS = {
  title: '=HYPERLINK("http://evil.example","pulsa")',
  body: '+1+2, con coma\ny salto de línea "entre comillas"',
  comment: '@SUM(A1:A9)',
  answer: '-2+3 es la respuesta',
};
/** Everything personal or non-public seeded below; none of it may appear in an export. */
const SECRETS: string[] = [];
const PUBLIC_COMMENT = 'Comentario publicado que sí es público';

beforeAll(async () => {
  t = await createAdminTest({
    routes: ({ domain, logger }) => {
      const admin = express.Router();
      admin.use(bearerAuth({ domain, logger }));
      admin.use('/processes', requireRole(REPORT_ROLES), createReportsRouter({ domain, logger }));
      return [['/admin', admin]];
    },
  });
  staff = await t.staffWithToken({ role: 'staff', name: 'Irene Personal' });
  admin = await t.staffWithToken({ role: 'admin', name: 'Admin Personal' });
  moderator = await t.staffWithToken({ role: 'moderator', name: 'Moderadora Personal' });
  proc = await createProcess(t.db, { title: XSS_TITLE });

  // People, with names nowhere (Plaza keeps none) but ids everywhere.
  const person = async (channel: 'telegram' | 'webchat', externalId: string) => {
    const p = await t.db.participant.create({
      data: {
        accounts: { create: { channel, externalId } },
        consents: { create: { purpose: 'participation', action: 'given', noticeVersion: 1, channel } },
      },
    });
    SECRETS.push(p.id, externalId);
    return p.id;
  };
  const tg = await person('telegram', '987654321012');
  const web = await person('webchat', 'u-webchat-user-4f1d9a');
  const both = await person('telegram', '555000111222');
  await t.db.channelAccount.create({
    data: { participantId: both, channel: 'webchat', externalId: 'u-second-account-77ab' },
  });
  SECRETS.push('u-second-account-77ab');
  await t.db.subscription.create({ data: { participantId: web, processId: proc.id } });

  const mod = await createStaffMember(t.db, {
    name: 'Lucía Moderadora Secreta',
    telegramUserId: '424242424242',
  });
  SECRETS.push(mod.id, mod.name, mod.telegramUserId, staff.id, staff.name, admin.name, moderator.name);

  // The public record: published, selected and not selected proposals, with formulas and markup in them.
  const published = await createProposal(t.db, proc, { authorId: tg, title: FORMULAS.title });
  await t.db.proposal.update({
    where: { id: published },
    data: { body: FORMULAS.body, publishedAt: new Date(), answer: FORMULAS.answer, answeredAt: new Date() },
  });
  const selected = await createProposal(t.db, proc, {
    authorId: web,
    status: 'selected',
    title: XSS_PROPOSAL,
  });
  await createProposal(t.db, proc, { authorId: both, status: 'not_selected', title: 'Una no seleccionada' });
  await t.db.support.createMany({
    data: [
      { proposalId: selected, participantId: tg },
      { proposalId: selected, participantId: web },
      { proposalId: published, participantId: both },
    ],
  });
  const c1 = await t.db.comment.create({
    data: {
      proposalId: selected,
      authorId: both,
      body: PUBLIC_COMMENT,
      status: 'published',
      publishedAt: new Date(),
    },
  });
  await t.db.comment.create({
    data: {
      proposalId: selected,
      authorId: tg,
      parentId: c1.id,
      body: FORMULAS.comment,
      status: 'published',
    },
  });

  // What is not public: every other status, and a published comment under a hidden proposal.
  const secretProposal = async (status: 'pending' | 'rejected' | 'withdrawn' | 'hidden', text: string) => {
    const id = await createProposal(t.db, proc, { authorId: tg, title: `${text}-titulo` });
    await t.db.proposal.update({
      where: { id },
      data: { status, body: `${text}-cuerpo`, rejectionReason: `${text}-razon` },
    });
    SECRETS.push(`${text}-titulo`, `${text}-cuerpo`, `${text}-razon`);
    return id;
  };
  const rejected = await secretProposal('rejected', 'PROPUESTA-RECHAZADA');
  await secretProposal('pending', 'PROPUESTA-PENDIENTE');
  await secretProposal('withdrawn', 'PROPUESTA-RETIRADA');
  const hidden = await secretProposal('hidden', 'PROPUESTA-OCULTA');
  for (const [status, body, proposalId] of [
    ['rejected', 'COMENTARIO-RECHAZADO', selected],
    ['hidden', 'COMENTARIO-OCULTO', selected],
    ['pending', 'COMENTARIO-PENDIENTE', selected],
    ['published', 'COMENTARIO-EN-PROPUESTA-OCULTA', hidden],
  ] as const) {
    await t.db.comment.create({ data: { proposalId, authorId: web, body, status } });
    SECRETS.push(body);
  }
  await t.db.moderationCase.create({
    data: {
      processId: proc.id,
      itemKind: 'proposal',
      proposalId: rejected,
      reason: 'submitted',
      decidedAt: new Date(),
      decision: 'reject',
      decisionReason: 'MOTIVO-LIBRE: llamó a su vecina Marta',
      decidedById: mod.id,
    },
  });
  SECRETS.push('MOTIVO-LIBRE');
  await t.db.contentReport.create({
    data: { itemKind: 'proposal', proposalId: hidden, participantId: web, reason: 'spam' },
  });

  await t.db.commitment.create({
    data: {
      processId: proc.id,
      title: { es: 'Compromiso público', en: 'Public commitment' },
      description: { es: 'Lo que haremos' },
      department: 'Movilidad',
      evidence: 'EVIDENCIA-INTERNA',
      progress: 30,
      status: 'in_progress',
      proposals: { create: [{ proposalId: selected }, { proposalId: rejected }] },
      updates: {
        create: [
          { status: 'planned', progress: 0, staffMemberId: mod.id, note: 'NOTA-INTERNA de Lucía' },
          { status: 'in_progress', progress: 30, staffMemberId: staff.id, evidence: 'EVIDENCIA-INTERNA-2' },
        ],
      },
    },
  });
  SECRETS.push('EVIDENCIA-INTERNA', 'NOTA-INTERNA');
});
afterAll(() => t?.close());

/** GET with a staff token by default; `null` sends none. */
const get = (path: string, token: string | null = staff.token) =>
  fetch(t.baseUrl + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });

const ROUTES = () => [
  `/admin/processes/${proc.id}/report`,
  `/admin/processes/${proc.id}/open-data.json`,
  `/admin/processes/${proc.id}/open-data.csv?table=proposals`,
];

describe('who may read reports and open data', () => {
  it('anonymous 401, moderators 403, staff and admins 200, on every route', async () => {
    for (const path of ROUTES()) {
      const anonymous = await get(path, null);
      expect(anonymous.status, path).toBe(401);
      expect(await anonymous.json()).toEqual({ error: 'unauthorized' });
      const refused = await get(path, moderator.token);
      expect(refused.status, path).toBe(403);
      expect(await refused.json()).toEqual({ error: 'forbidden' });
      for (const who of [staff, admin]) expect((await get(path, who.token)).status, path).toBe(200);
    }
  });

  it('declares its routes with the roles and the content types it answers with', () => {
    expect(reportRoutes.map((r) => [r.method, r.path, r.produces])).toEqual([
      ['get', '/processes/:id/report', 'text/html'],
      ['get', '/processes/:id/open-data.json', undefined],
      ['get', '/processes/:id/open-data.csv', 'text/csv'],
    ]);
    for (const r of reportRoutes) expect(r.roles).toEqual(['admin', 'staff']);
    // They make a valid part of the OpenAPI document (path params declared, queries as objects).
    const doc = buildOpenApiDocument(reportRoutes);
    const csv = doc.paths['/processes/{id}/open-data.csv']!.get as {
      parameters: { name: string; in: string; required: boolean; schema: { enum?: string[] } }[];
      responses: Record<string, { content?: Record<string, unknown> }>;
    };
    expect(csv.parameters.map((p) => [p.name, p.in, p.required])).toEqual([
      ['id', 'path', true],
      ['table', 'query', true],
    ]);
    expect(csv.parameters[1]!.schema.enum).toEqual(OPEN_DATA_TABLE_NAMES);
    expect(Object.keys(csv.responses['200']!.content!)).toEqual(['text/csv']);
  });

  it('404 for a process that does not exist and for ids that are not ids; 422 naming bad query fields', async () => {
    for (const id of ['2000000000', 'abc', '0', '-1', '1.5', '99999999999'])
      for (const suffix of ['report', 'open-data.json', 'open-data.csv?table=proposals']) {
        const res = await get(`/admin/processes/${id}/${suffix}`);
        expect(res.status, `${id}/${suffix}`).toBe(404);
        expect(await res.json()).toEqual({ error: 'not-found' });
      }
    for (const [suffix, path] of [
      ['report?locale=fr', 'locale'],
      ['report?verbose=1', 'verbose'],
      ['open-data.json?locale=es', 'locale'],
      ['open-data.csv', 'table'],
      ['open-data.csv?table=participants', 'table'],
      ['open-data.csv?table=proposals&format=xlsx', 'format'],
    ]) {
      const res = await get(`/admin/processes/${proc.id}/${suffix}`);
      expect(res.status, suffix).toBe(422);
      expect(await res.json(), suffix).toMatchObject({ error: 'invalid-request', fields: [{ path }] });
    }
  });
});

describe('GET /admin/processes/:id/report', () => {
  it('is an HTML page with a CSP that allows no script, every database text escaped', async () => {
    const res = await get(`/admin/processes/${proc.id}/report`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/script-src/);
    expect(csp).toContain("frame-ancestors 'none'");
    const html = await res.text();
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain('&#60;script&#62;alert(&#34;título&#34;)&#60;/script&#62;');
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62; &#38; &#34;comillas&#34;');
    expect(html).toContain('<html lang="es">');
    expect(html).toContain('Informe final');
    expect(html).toMatch(/@media print/);
    // Nothing personal in the staff's report either (moderators' own words are counted as "other").
    for (const secret of SECRETS) expect(html, secret).not.toContain(secret);
    expect(html).toContain('Otros motivos');
  });

  it('is in English with locale=en', async () => {
    const res = await get(`/admin/processes/${proc.id}/report?locale=en`);
    const html = await res.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Final report');
    expect(html).toContain('Public commitment');
    expect(html).not.toContain('Informe final');
  });

  it('draws the charts of the sections that have figures, as inline SVG made of escaped text', async () => {
    const html = await (await get(`/admin/processes/${proc.id}/report`)).text();
    const figures = [...html.matchAll(/<figure class="chart" data-section="([a-z]+)"><svg/g)].map(
      (m) => m[1],
    );
    expect(figures).toEqual(expect.arrayContaining(['participation', 'proposals', 'results']));
    // The process title (an XSS string) is in the results chart's title, as text.
    expect(html).toMatch(/<svg[^]*&lt;script&gt;alert[^]*<\/svg>/);
    expect(html).not.toMatch(/<script|<img/i);
  });

  it("gives each chart a text alternative in the report's language, and none of vega's English ARIA", async () => {
    for (const [locale, label] of [
      ['es', 'Gráfico de barras: '],
      ['en', 'Bar chart: '],
    ] as const) {
      const html = await (await get(`/admin/processes/${proc.id}/report?locale=${locale}`)).text();
      const figures = [...html.matchAll(/<figure class="chart" data-section="[a-z]+">[^]*?<\/figure>/g)].map(
        (m) => m[0],
      );
      expect(figures.length, locale).toBeGreaterThanOrEqual(3);
      for (const figure of figures) {
        expect(figure).toMatch(new RegExp(`^<figure[^>]*><svg role="img" aria-label="${label}[^"]+"`));
        expect(figure).toMatch(/<figcaption>[^<]{10,}<\/figcaption><\/figure>$/);
        // One image: vega's own roles and labels (English, generated) are gone.
        expect(figure.match(/\brole="/g)).toHaveLength(1);
        expect(figure.match(/\baria-[a-z]+="/g)).toHaveLength(1);
      }
      expect(html).not.toMatch(/X-axis|Y-axis|titled|mark container|graphics-/);
    }
    const es = await (await get(`/admin/processes/${proc.id}/report`)).text();
    // The proposals chart says its values in words.
    expect(es).toMatch(/data-section="proposals">[^]*<figcaption>[^<]*Seleccionada: 1[^<]*<\/figcaption>/);
  });

  it('isolates right-to-left titles, so the id after them stays after them', async () => {
    const arabic = 'مقترح لحديقة عامة جديدة في الحي';
    const rtl = await createProcess(t.db, { title: arabic });
    const id = await createProposal(t.db, rtl, { title: arabic, status: 'selected' });
    const html = await (await get(`/admin/processes/${rtl.id}/report`)).text();
    expect(html).toContain(`<td><bdi>${arabic}</bdi> <span class="note">#${id}</span></td>`);
    expect(html).toContain(`<h1>Informe final: <bdi>${arabic}</bdi></h1>`);
  });

  it('has a place in each section for a chart, filled only when one is given', async () => {
    const r = await getProcessReport(t.domain, { processId: proc.id });
    if (!r.ok) throw new Error(r.reason);
    const plain = renderReportHtml(r.report, { locale: 'es' });
    expect(plain).not.toContain('<figure');
    expect(plain).toMatch(/<section class="report-section" id="supports"/);
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" id="supports-chart"></svg>';
    const html = renderReportHtml(r.report, {
      locale: 'es',
      charts: { supports: { svg, caption: 'Tres días <b>' } },
    });
    expect(html).toMatch(
      new RegExp(
        `id="h-supports">Apoyos</h2>\\s*<figure class="chart" data-section="supports">${svg}<figcaption>Tres días &#60;b&#62;</figcaption></figure>`,
      ),
    );
  });
});

describe('open data', () => {
  const jsonText = async () => {
    const res = await get(`/admin/processes/${proc.id}/open-data.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="plaza-${proc.slug}-open-data.json"`,
    );
    return res.text();
  };
  const csvText = async (table: string) => {
    const res = await get(`/admin/processes/${proc.id}/open-data.csv?table=${table}`);
    expect(res.status, table).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="plaza-${proc.slug}-open-data-${table}.csv"`,
    );
    // fetch's text() decodes as UTF-8 and drops the byte-order mark the file starts with (checked below).
    return res.text();
  };

  it('contains no personal data and nothing that is not public, in the JSON and in every CSV table', async () => {
    const exports: [string, string][] = [['json', await jsonText()]];
    for (const table of OPEN_DATA_TABLE_NAMES) exports.push([table, await csvText(table)]);
    for (const [name, text] of exports) {
      for (const secret of SECRETS) expect(text, `${name}: ${secret}`).not.toContain(secret);
      // No UUID of any kind (participants, staff, tokens).
      expect(text, name).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
    }
    // And it is not empty: the public record is there.
    const json = JSON.parse(exports[0]![1]) as {
      tables: Record<string, Record<string, unknown>[]>;
      figures: { participants: { total: number } };
    };
    expect(json.figures.participants.total).toBe(3);
    expect(json.tables.proposals!.map((p) => p.title).sort()).toEqual(
      [FORMULAS.title, XSS_PROPOSAL, 'Una no seleccionada'].sort(),
    );
    expect(json.tables.comments!.map((c) => c.body)).toEqual([PUBLIC_COMMENT, FORMULAS.comment]);
    expect(json.tables.comments![1]!.parent_id).toBe(json.tables.comments![0]!.id);
    expect(json.tables.supports!.reduce((n, r) => n + (r.supports as number), 0)).toBe(3);
    expect(json.tables.commitments).toMatchObject([{ title_es: 'Compromiso público', progress: 30 }]);
    // The link to the rejected proposal is not published; the update's note and its author are not either.
    expect(json.tables.commitment_proposals).toHaveLength(1);
    expect(json.tables.commitment_updates).toEqual([
      { commitment_id: expect.any(Number), day: expect.any(String), status: 'planned', progress: 0 },
      { commitment_id: expect.any(Number), day: expect.any(String), status: 'in_progress', progress: 30 },
    ]);
    expect(json.tables.supports![0]!.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('starts every CSV table with a UTF-8 byte-order mark, so spreadsheets read accents as UTF-8', async () => {
    for (const table of OPEN_DATA_TABLE_NAMES) {
      const res = await get(`/admin/processes/${proc.id}/open-data.csv?table=${table}`);
      expect(res.headers.get('content-type'), table).toMatch(/^text\/csv; charset=utf-8/);
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect([...bytes.slice(0, 3)], table).toEqual([0xef, 0xbb, 0xbf]);
      // Read as a file is read, the mark kept: then comes the header, its first column intact.
      const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
      expect(text.startsWith(`\uFEFF"${OPEN_DATA_TABLES[table][0]}",`), table).toBe(true);
      expect(parseCsv(text.slice(1))[0], table).toEqual([...OPEN_DATA_TABLES[table]]);
    }
    // Accented text is UTF-8 after the mark.
    const comments = await get(`/admin/processes/${proc.id}/open-data.csv?table=comments`);
    const bytes = Buffer.from(await comments.arrayBuffer());
    expect(bytes.includes(Buffer.from(`"${PUBLIC_COMMENT}"`, 'utf8'))).toBe(true);
  });

  it('quotes CSV by RFC 4180 and defuses cells that a spreadsheet would run as formulas', async () => {
    const csv = await csvText('proposals');
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual([...OPEN_DATA_TABLES.proposals]);
    const byTitle = new Map(rows.slice(1).map((r) => [r[3], r]));
    const formula = byTitle.get(`'${FORMULAS.title}`);
    expect(formula, csv).toBeDefined();
    expect(formula![4]).toBe(`'${FORMULAS.body}`);
    expect(formula![9]).toBe(`'${FORMULAS.answer}`);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""pulsa"")"`);
    expect(byTitle.get(XSS_PROPOSAL)).toBeDefined();
    // Numbers stay numbers (not quoted, not prefixed).
    expect(csv).toMatch(/,"\d{4}-\d{2}-\d{2}",2,2,,\r\n/);
    const comments = parseCsv(await csvText('comments'));
    expect(comments.slice(1).map((r) => r[4])).toEqual([PUBLIC_COMMENT, `'${FORMULAS.comment}`]);
    // Every row has the header's width.
    for (const table of OPEN_DATA_TABLE_NAMES) {
      const parsed = parseCsv(await csvText(table));
      for (const row of parsed) expect(row, table).toHaveLength(OPEN_DATA_TABLES[table].length);
    }
  });
});

describe("a phase's dates, whose end is exclusive", () => {
  it('are its first and last day (and the closing time when not midnight), in the report and the open data', async () => {
    const dated = await createProcess(t.db, { title: 'Fechas de fase' });
    // Proposals through 10 March: its end is 11 March 00:00 in Madrid. Voting until 20 March at 18:00.
    await t.db.phase.deleteMany({ where: { processId: dated.id } });
    await t.db.phase.createMany({
      data: [
        {
          processId: dated.id,
          kind: 'proposals',
          position: 1,
          startsAt: new Date('2027-03-01T23:00:00Z'),
          endsAt: new Date('2027-03-10T23:00:00Z'),
          acceptsProposals: true,
        },
        {
          processId: dated.id,
          kind: 'voting',
          position: 2,
          startsAt: new Date('2027-03-10T23:00:00Z'),
          endsAt: new Date('2027-03-20T17:00:00Z'),
        },
      ],
    });
    const html = await (await get(`/admin/processes/${dated.id}/report`)).text();
    expect(html).toContain(
      'Propuestas (2 mar 2027 – 10 mar 2027) · Votación (11 mar 2027 – 20 mar 2027, 18:00)',
    );
    const english = await (await get(`/admin/processes/${dated.id}/report?locale=en`)).text();
    expect(english).toContain('Proposals (Mar 2, 2027 – Mar 10, 2027)');
    const data = (await (await get(`/admin/processes/${dated.id}/open-data.json`)).json()) as {
      process: { phases: unknown[] };
    };
    expect(data.process.phases).toEqual([
      { kind: 'proposals', starts_on: '2027-03-02', ends_on: '2027-03-10' },
      { kind: 'voting', starts_on: '2027-03-11', ends_on: '2027-03-20' },
    ]);
  });
});

/** A strict RFC 4180 reader: fields quoted or bare, CRLF between records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let value = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new Error('unterminated quote');
        value += text.slice(i, q);
        i = q + 1;
        if (text[i] === '"') {
          value += '"';
          i++;
        } else break;
      }
    } else {
      const end = text.slice(i).search(/,|\r\n/);
      value = end < 0 ? text.slice(i) : text.slice(i, i + end);
      if (value.includes('"') || value.includes('\n')) throw new Error(`bad bare field ${value}`);
      i += value.length;
    }
    row.push(value);
    if (text.startsWith('\r\n', i)) {
      rows.push(row);
      row = [];
      i += 2;
    } else if (text[i] === ',') i++;
    else if (i < text.length) throw new Error(`unexpected ${JSON.stringify(text[i])} at ${i}`);
  }
  return rows;
}
