// The staff dashboard's lists of processes (figures per process) and of broadcasts, a page at a time: the
// first page as it always was, then «older» links carrying a cursor (the id of the last row shown) down to
// the oldest, every row once; the page's other state kept along, and a cursor that leads nowhere said so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCase, createProcess, type ProcessFixture } from '../support/fixtures.ts';
import { createDashboardTest, csrfOf, type DashboardTest } from './dashboard-support.ts';

let t: DashboardTest;
let process: ProcessFixture;
/** Every process, newest first. */
let processIds: number[];
/** Every broadcast, newest first (by creation, which their ids do not follow). */
let broadcastIds: number[];

beforeAll(async () => {
  t = await createDashboardTest();
  process = await createProcess(t.db, { title: 'Presupuestos' });
  while ((await t.db.process.count()) < 55) await createProcess(t.db);
  processIds = (await t.db.process.findMany({ orderBy: { id: 'desc' }, select: { id: true } })).map(
    (p) => p.id,
  );
  // 23 broadcasts, created at shuffled times (and two at the same instant: ties go by id).
  const minutesAgo = [7, 3, 19, 11, 2, 23, 5, 13, 17, 1, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 71, 0];
  for (const m of minutesAgo)
    await t.db.broadcast.create({
      data: {
        processId: process.id,
        texts: { es: `Hace ${m} minutos` },
        audience: {},
        status: 'done',
        createdAt: new Date(Date.now() - m * 60_000),
      },
    });
  broadcastIds = (
    await t.db.broadcast.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select: { id: true } })
  ).map((b) => b.id);
}, 60_000);
afterAll(() => t?.close());

async function signedIn(role: 'staff' | 'admin' = 'staff') {
  const staff = await t.staffWithToken({ role });
  const client = t.client();
  expect((await client.signIn(staff.token)).status).toBe(303);
  return client;
}

const unescape = (href: string) => href.replace(/&amp;/g, '&');
const processRows = (page: string) =>
  [...page.matchAll(/<tr data-process="(\d+)"/g)].map((m) => Number(m[1]));
const broadcastRows = (page: string) =>
  [...page.matchAll(/<tr data-broadcast="(\d+)"/g)].map((m) => Number(m[1]));
/** The href of the link whose text starts with `text`. */
function link(page: string, text: string): string | undefined {
  const match = new RegExp(`<a\\s+href="([^"]+)"[^>]*>\\s*${text}`).exec(page);
  return match ? unescape(match[1]!) : undefined;
}

describe('processes, a page at a time', () => {
  it('keeps the first page, then leads to older processes down to the oldest, each once', async () => {
    const client = await signedIn();
    const first = (await client.request('/admin')).text;
    expect(processRows(first)).toEqual(processIds.slice(0, 20));
    expect(first).toContain('Se muestran los 20 procesos más recientes; hay más.');
    expect(link(first, 'Ver hasta 50 procesos')).toBe('/admin?lang=es&processes=all#figures');

    const seen = [...processRows(first)];
    let older = link(first, 'Procesos más antiguos');
    expect(older).toBe(`/admin?lang=es&processesAfter=${processIds[19]}#figures`);
    const second = (await client.request(older!)).text;
    expect(processRows(second)).toEqual(processIds.slice(20, 40));
    expect(second).toContain(
      `Se muestran 20 procesos más antiguos, del #${processIds[20]} al #${processIds[39]}; hay más.`,
    );
    expect(link(second, 'Volver a los más recientes')).toBe('/admin?lang=es#figures');
    seen.push(...processRows(second));
    older = link(second, 'Procesos más antiguos');
    const last = (await client.request(older!)).text;
    seen.push(...processRows(last));
    expect(last).toContain(
      `Se muestran 15 procesos más antiguos, del #${processIds[40]} al #${processIds[54]}.`,
    );
    expect(link(last, 'Procesos más antiguos')).toBeUndefined();
    expect(seen).toEqual(processIds);

    // In English too.
    const en = (await client.request(`/admin?lang=en&processesAfter=${processIds[19]}`)).text;
    expect(en).toContain(
      `20 older processes are shown, #${processIds[20]} to #${processIds[39]}; there are more.`,
    );
    expect(link(en, 'Older processes')).toBe(`/admin?lang=en&processesAfter=${processIds[39]}#figures`);
    expect(link(en, 'Back to the newest')).toBe('/admin?lang=en#figures');
  });

  it('pages the longer list (up to 50) the same way', async () => {
    const client = await signedIn();
    const all = (await client.request('/admin?processes=all')).text;
    expect(processRows(all)).toEqual(processIds.slice(0, 50));
    expect(all).toContain('Se muestran los 50 procesos más recientes; hay más.');
    expect(link(all, 'Ver solo los más recientes')).toBe('/admin?lang=es#figures');
    const older = link(all, 'Procesos más antiguos');
    expect(older).toBe(`/admin?lang=es&processes=all&processesAfter=${processIds[49]}#figures`);
    const rest = (await client.request(older!)).text;
    expect(processRows(rest)).toEqual(processIds.slice(50));
    expect(link(rest, 'Volver a los más recientes')).toBe('/admin?lang=es&processes=all#figures');
  });

  it('says when a cursor leads past the oldest, and leads back', async () => {
    const client = await signedIn();
    const page = await client.request(`/admin?processesAfter=${processIds.at(-1)}`);
    expect(page.status).toBe(200);
    expect(processRows(page.text)).toEqual([]);
    expect(page.text).toContain('No hay procesos más antiguos.');
    expect(link(page.text, 'Volver a los más recientes')).toBe('/admin?lang=es#figures');
    for (const bad of ['abc', '0', '-3', '99999999999'])
      expect((await client.request(`/admin?processesAfter=${bad}`)).status, bad).toBe(400);
  });
});

describe('broadcasts, a page at a time', () => {
  it('keeps the first page, then leads to older broadcasts down to the oldest, each once, newest first', async () => {
    const client = await signedIn();
    const first = (await client.request('/admin')).text;
    expect(broadcastRows(first)).toEqual(broadcastIds.slice(0, 10));
    expect(first).toContain('Difusiones 1–10, de la más reciente a la más antigua; hay más.');
    const seen = [...broadcastRows(first)];
    let older = link(first, 'Difusiones anteriores');
    expect(older).toBe(`/admin?lang=es&broadcastsAfter=${broadcastIds[9]}#broadcasts`);
    const second = (await client.request(older!)).text;
    expect(broadcastRows(second)).toEqual(broadcastIds.slice(10, 20));
    expect(second).toContain(
      'Se muestran 10 difusiones más antiguas, de la más reciente a la más antigua; hay más.',
    );
    expect(link(second, 'Volver a las más recientes')).toBe('/admin?lang=es#broadcasts');
    seen.push(...broadcastRows(second));
    older = link(second, 'Difusiones anteriores');
    const last = (await client.request(older!)).text;
    expect(broadcastRows(last)).toEqual(broadcastIds.slice(20));
    expect(last).toContain('Se muestran 3 difusiones más antiguas, de la más reciente a la más antigua.');
    expect(link(last, 'Difusiones anteriores')).toBeUndefined();
    seen.push(...broadcastRows(last));
    expect(seen).toEqual(broadcastIds);
    // The processes' list keeps its first page meanwhile.
    expect(processRows(last)).toEqual(processIds.slice(0, 20));

    const en = (await client.request(`/admin?lang=en&broadcastsAfter=${broadcastIds[9]}`)).text;
    expect(en).toContain('10 older broadcasts are shown, newest first; there are more.');
    expect(link(en, 'Older broadcasts')).toBe(
      `/admin?lang=en&broadcastsAfter=${broadcastIds[19]}#broadcasts`,
    );
    expect(link(en, 'Back to the newest')).toBe('/admin?lang=en#broadcasts');
  });

  it('says when a cursor names no broadcast, and leads back', async () => {
    const client = await signedIn();
    const page = await client.request('/admin?broadcastsAfter=2000000000');
    expect(page.status).toBe(200);
    expect(broadcastRows(page.text)).toEqual([]);
    expect(page.text).toContain('No hay difusiones más antiguas.');
    expect(link(page.text, 'Volver a las más recientes')).toBe('/admin?lang=es#broadcasts');
    for (const bad of ['abc', '0', '99999999999'])
      expect((await client.request(`/admin?broadcastsAfter=${bad}`)).status, bad).toBe(400);
  });
});

describe('a bookmark of the former broadcasts page number', () => {
  it('opens the first page (not a refusal)', async () => {
    const client = await signedIn();
    const page = await client.request('/admin?broadcasts=3');
    expect(page.status).toBe(200);
    expect(broadcastRows(page.text)).toEqual(broadcastIds.slice(0, 10));
  });
});

describe('the page keeps both lists where they were', () => {
  it('across the queue filter and a decision', async () => {
    const client = await signedIn();
    const { caseId } = await createCase(t.db, process);
    const state = `processesAfter=${processIds[19]}&broadcastsAfter=${broadcastIds[9]}`;
    const page = (await client.request(`/admin?${state}`)).text;
    expect(processRows(page)).toEqual(processIds.slice(20, 40));
    expect(broadcastRows(page)).toEqual(broadcastIds.slice(10, 20));
    // The other list's links keep this one's page.
    expect(link(page, 'Difusiones anteriores')).toBe(
      `/admin?lang=es&processesAfter=${processIds[19]}&broadcastsAfter=${broadcastIds[19]}#broadcasts`,
    );
    expect(link(page, 'Procesos más antiguos')).toBe(
      `/admin?lang=es&processesAfter=${processIds[39]}&broadcastsAfter=${broadcastIds[9]}#figures`,
    );
    // The queue's filter form carries them.
    const filter = /<form method="get"[^]*?<\/form>/.exec(page)![0];
    expect(filter).toContain(`name="processesAfter" value="${processIds[19]}"`);
    expect(filter).toContain(`name="broadcastsAfter" value="${broadcastIds[9]}"`);
    // A decision comes back to the same page.
    const decided = await client.post(`/admin/ui/moderation/${caseId}/decide?${state}`, {
      _csrf: csrfOf(page),
      decision: 'approve',
    });
    expect(decided.status).toBe(303);
    expect(decided.headers.get('location')).toBe(`/admin?lang=es&decided=${caseId}&${state}#moderation`);
  });
});
