import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import type { DomainDeps } from '../../src/domain/deps.ts';
import { openCase } from '../../src/domain/moderation-cases.ts';
import { prescreenText, redactAll, type Finding } from '../../src/domain/moderation/prescreen-text.ts';
import { prescreenCase, proposalText, ProposalIndexes } from '../../src/domain/prescreen-case.ts';
import type { ProposalStatus } from '../../src/generated/prisma/enums.ts';
import { createProcess, type ProcessFixture } from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';

let t: DomainTest;
beforeAll(async () => {
  t = await createDomainTest();
});
afterAll(async () => {
  await t?.cleanup();
});

const AT = new Date('2026-03-02T10:00:00Z');
const LATER = new Date('2026-03-02T11:00:00Z');

const BIKE = {
  title: 'Carril bici en la avenida de la Constitución',
  body: 'Queremos un carril bici segregado en la avenida de la Constitución para ir al trabajo y al colegio con seguridad.',
};
/** `BIKE` with a few words changed: a near copy. */
const bikeCopy = (n: number) => ({
  title: `Carril bici en la avenida de la Constitución ${'ya '.repeat(n)}`.trim(),
  body: BIKE.body.replace('al colegio', n % 2 ? 'a la escuela' : 'al instituto'),
});
const unrelated = () => ({
  title: `Biblioteca abierta los domingos ${randomBytes(2).toString('hex')}`,
  body: 'Pedimos que la biblioteca municipal abra también los domingos por la tarde para poder estudiar.',
});

async function proposal(
  db: Db,
  process: ProcessFixture,
  texts: { title: string; body: string },
  status: ProposalStatus = 'pending',
): Promise<number> {
  const p = await db.proposal.create({
    data: {
      processId: process.id,
      categoryId: process.categories[0]!.id,
      ...texts,
      locale: 'es',
      status,
    },
    select: { id: true },
  });
  return p.id;
}

async function caseFor(db: Db, item: { kind: 'proposal' | 'comment'; id: number }, processId: number) {
  return db.$transaction((tx) => openCase(tx, { item, processId, reason: 'submitted', at: AT }));
}

/** A proposal with its open case. */
async function submitted(process: ProcessFixture, texts: { title: string; body: string }) {
  const id = await proposal(t.db, process, texts);
  return { id, caseId: await caseFor(t.db, { kind: 'proposal', id }, process.id) };
}

const nearDuplicates = (findings: Finding[]) =>
  findings.flatMap((f) => (f.kind === 'near-duplicate' ? f.matches : []));

describe('prescreenCase', () => {
  let process: ProcessFixture;
  let deps: DomainDeps;
  beforeAll(async () => {
    process = await createProcess(t.db, { phase: 'proposals' });
    deps = t.at(AT);
  });

  it('stores the findings of a proposal once, with the time, and says it did', async () => {
    const { caseId } = await submitted(process, {
      title: 'Más bancos en la plaza',
      body: 'Llamadme al 612 345 678 o escribid a ana.perez@example.com, que el concejal es un idiota. ¡¡¡Ya!!!!!',
    });
    const result = await prescreenCase(deps, { caseId }, new ProposalIndexes());
    expect(result).toEqual({ ok: true, findings: expect.any(Array), alreadyDone: false });
    const findings = (result as { findings: Finding[] }).findings;
    expect(findings.map((f) => f.kind)).toEqual([
      'personal-data',
      'personal-data',
      'insult',
      'repeated-characters',
    ]);
    const stored = await t.db.moderationCase.findUniqueOrThrow({ where: { id: caseId } });
    expect(stored.prescreenedAt).toEqual(AT);
    expect(stored.findings).toEqual(findings);
    // What the pre-screen says of the proposal's public text, title and body together.
    const p = await t.db.proposal.findFirstOrThrow({ where: { cases: { some: { id: caseId } } } });
    expect(findings).toEqual(prescreenText({ text: proposalText(p) }));
  });

  it('stores no copy of the text: spans only, enough to redact it', async () => {
    const texts = {
      title: 'Fuentes en el parque del barrio',
      body: 'Llamadme al 612 345 678 o escribid a ana.perez@example.com para organizar la recogida de firmas.',
    };
    const { caseId } = await submitted(process, texts);
    await prescreenCase(deps, { caseId }, new ProposalIndexes());
    const [row] = await t.db.$queryRaw<{ json: string; findings: Finding[] }[]>`
      SELECT findings::text AS json, findings FROM "ModerationCase" WHERE id = ${caseId}`;
    const text = proposalText(texts);
    expect(row!.findings.map((f) => f.kind)).toEqual(['personal-data', 'personal-data']);
    // As stored, and every string in it once parsed (a newline is escaped in the stored form).
    const strings: string[] = [row!.json];
    JSON.stringify(row!.findings, (key, value: unknown) => {
      strings.push(key);
      if (typeof value === 'string') strings.push(value);
      return value;
    });
    for (const personal of ['612 345 678', '612345678', 'ana.perez@example.com', 'ana.perez'])
      for (const s of strings) expect(s).not.toContain(personal);
    for (let i = 0; i + 21 <= text.length; i++)
      for (const s of strings) expect(s).not.toContain(text.slice(i, i + 21));
    expect(redactAll(text, row!.findings)).toBe(
      'Fuentes en el parque del barrio\n\n' +
        'Llamadme al [teléfono] o escribid a [correo] para organizar la recogida de firmas.',
    );
  });

  it('stores an empty list for a clean text, and a second run changes nothing', async () => {
    const { caseId } = await submitted(process, unrelated());
    const indexes = new ProposalIndexes();
    expect(await prescreenCase(deps, { caseId }, indexes)).toEqual({
      ok: true,
      findings: [],
      alreadyDone: false,
    });
    const first = await t.db.moderationCase.findUniqueOrThrow({ where: { id: caseId } });
    expect(first.findings).toEqual([]);

    expect(await prescreenCase(t.at(LATER), { caseId }, indexes)).toEqual({
      ok: true,
      findings: [],
      alreadyDone: true,
    });
    expect(await t.db.moderationCase.findUniqueOrThrow({ where: { id: caseId } })).toEqual(first);
  });

  it('gives back the stored findings on a second run, even from another worker', async () => {
    const { caseId } = await submitted(process, {
      title: 'Contacto',
      body: 'Mi DNI es 12345678Z y quiero más fuentes en el parque del barrio.',
    });
    const first = await prescreenCase(deps, { caseId }, new ProposalIndexes());
    const again = await prescreenCase(t.at(LATER), { caseId }, new ProposalIndexes());
    expect(again).toEqual({ ...first, alreadyDone: true });
    const stored = await t.db.moderationCase.findUniqueOrThrow({ where: { id: caseId } });
    expect(stored.prescreenedAt).toEqual(AT);
  });

  it('leaves a decided case untouched', async () => {
    const { caseId } = await submitted(process, {
      title: 'Contacto',
      body: 'Mi teléfono es 612345678, gracias.',
    });
    await t.db.moderationCase.update({
      where: { id: caseId },
      data: { decidedAt: AT, decision: 'approve' },
    });
    const before = await t.db.moderationCase.findUniqueOrThrow({ where: { id: caseId } });
    expect(await prescreenCase(deps, { caseId }, new ProposalIndexes())).toEqual({
      ok: false,
      reason: 'decided',
    });
    const after = await t.db.moderationCase.findUniqueOrThrow({ where: { id: caseId } });
    expect(after).toEqual(before);
    expect(after.prescreenedAt).toBeNull();
    expect(after.findings).toBeNull();
  });

  it.each([0, -1, 1.5, 2 ** 31, 999_999])('answers not-found for case %s', async (caseId) => {
    expect(await prescreenCase(deps, { caseId }, new ProposalIndexes())).toEqual({
      ok: false,
      reason: 'not-found',
    });
  });

  it('pre-screens a comment (its body) without looking for near-duplicates', async () => {
    const proposalId = await proposal(t.db, process, BIKE, 'published');
    const comment = await t.db.comment.create({
      data: { proposalId, body: `${BIKE.title}\n\n${BIKE.body} Escribid a luis@example.com` },
      select: { id: true },
    });
    const caseId = await caseFor(t.db, { kind: 'comment', id: comment.id }, process.id);
    const result = await prescreenCase(deps, { caseId }, new ProposalIndexes());
    expect(result).toMatchObject({ ok: true, alreadyDone: false });
    const findings = (result as { findings: Finding[] }).findings;
    expect(findings.map((f) => f.kind)).toEqual(['personal-data']);
    expect(nearDuplicates(findings)).toEqual([]);
    expect((await t.db.moderationCase.findUniqueOrThrow({ where: { id: caseId } })).findings).toEqual(
      findings,
    );
  });
});

describe('prescreenCase: near-duplicates', () => {
  it('names the closest earlier proposals of the same process only, any status but withdrawn', async () => {
    const mine = await createProcess(t.db, { phase: 'proposals' });
    const other = await createProcess(t.db, { phase: 'proposals' });
    const original = await proposal(t.db, mine, BIKE, 'published');
    const rejected = await proposal(t.db, mine, bikeCopy(1), 'rejected');
    const withdrawn = await proposal(t.db, mine, bikeCopy(2), 'withdrawn');
    await proposal(t.db, mine, unrelated(), 'published');
    const elsewhere = await proposal(t.db, other, BIKE, 'published');
    const hidden = await proposal(t.db, mine, bikeCopy(3), 'hidden');
    const target = await submitted(mine, bikeCopy(4));
    const later = await proposal(t.db, mine, BIKE, 'published');

    const result = await prescreenCase(t.at(AT), { caseId: target.caseId }, new ProposalIndexes());
    const matches = nearDuplicates((result as { findings: Finding[] }).findings);
    expect(matches.map((m) => m.id).sort((a, b) => a - b)).toEqual([original, rejected, hidden]);
    for (const excluded of [withdrawn, elsewhere, later, target.id]) {
      expect(matches.map((m) => m.id)).not.toContain(excluded);
    }
    // Exactly what comparing with each of those proposals, one by one, gives.
    const others = await t.db.proposal.findMany({
      where: { processId: mine.id, id: { lt: target.id }, status: { not: 'withdrawn' } },
    });
    expect(matches).toEqual(
      nearDuplicates(
        prescreenText({
          text: proposalText(bikeCopy(4)),
          others: others.map((p) => ({ id: p.id, text: proposalText(p) })),
        }),
      ),
    );
  });

  it('keeps an index per process up to date across cases and workers, leaving out proposals withdrawn since', async () => {
    const process = await createProcess(t.db, { phase: 'proposals' });
    const worker1 = new ProposalIndexes();
    const worker2 = new ProposalIndexes();
    const first = await submitted(process, BIKE);
    expect(nearDuplicates(await findingsOf(first.caseId, worker1))).toEqual([]);

    // Submitted after worker 1 loaded its index; pre-screened by worker 2.
    const second = await submitted(process, bikeCopy(1));
    expect(ids(await findingsOf(second.caseId, worker2))).toEqual([first.id]);

    const third = await submitted(process, bikeCopy(2));
    expect(ids(await findingsOf(third.caseId, worker1)).sort()).toEqual([first.id, second.id].sort());

    // Withdrawn after both workers indexed it.
    await t.db.proposal.update({ where: { id: second.id }, data: { status: 'withdrawn' } });
    const fourth = await submitted(process, bikeCopy(3));
    for (const worker of [worker1, worker2]) {
      await t.db.moderationCase.update({
        where: { id: fourth.caseId },
        data: { prescreenedAt: null, findings: undefined },
      });
      expect(ids(await findingsOf(fourth.caseId, worker)).sort()).toEqual([first.id, third.id].sort());
    }
  });

  it('sees a proposal that committed after a later one was indexed, once the late-commit interval has passed', async () => {
    const process = await createProcess(t.db, { phase: 'proposals' });
    const indexes = new ProposalIndexes({ lateCommitMs: 60_000 });
    let commit!: () => void;
    const committed = new Promise<void>((resolve) => (commit = resolve));
    let allocated!: (id: number) => void;
    const lateId = new Promise<number>((resolve) => (allocated = resolve));
    const slow = t.db.$transaction(
      async (tx) => {
        const p = await tx.proposal.create({
          data: { processId: process.id, categoryId: process.categories[0]!.id, ...BIKE, locale: 'es' },
          select: { id: true },
        });
        allocated(p.id);
        await committed;
      },
      { timeout: 20_000 },
    );
    const late = await lateId;
    const meanwhile = await submitted(process, unrelated());
    expect(meanwhile.id).toBeGreaterThan(late);
    await prescreenCase(t.at(AT), { caseId: meanwhile.caseId }, indexes); // indexes up to `meanwhile`
    commit();
    await slow;

    const copy = await submitted(process, bikeCopy(1));
    const soon = new Date(AT.getTime() + 1000);
    expect(ids(await findingsOf(copy.caseId, indexes, soon))).toEqual([]);
    await t.db.moderationCase.update({ where: { id: copy.caseId }, data: { prescreenedAt: null } });
    const afterInterval = new Date(AT.getTime() + 60_000);
    expect(ids(await findingsOf(copy.caseId, indexes, afterInterval))).toEqual([late]);
  });

  it('adds a proposal that committed late when its own case is pre-screened', async () => {
    const process = await createProcess(t.db, { phase: 'proposals' });
    const indexes = new ProposalIndexes({ lateCommitMs: 60_000 });
    let commit!: () => void;
    const committed = new Promise<void>((resolve) => (commit = resolve));
    let allocated!: (ids: { id: number; caseId: number }) => void;
    const lateOne = new Promise<{ id: number; caseId: number }>((resolve) => (allocated = resolve));
    const slow = t.db.$transaction(
      async (tx) => {
        const p = await tx.proposal.create({
          data: { processId: process.id, categoryId: process.categories[0]!.id, ...BIKE, locale: 'es' },
          select: { id: true },
        });
        const caseId = await openCase(tx, {
          item: { kind: 'proposal', id: p.id },
          processId: process.id,
          reason: 'submitted',
          at: AT,
        });
        allocated({ id: p.id, caseId });
        await committed;
      },
      { timeout: 20_000 },
    );
    const late = await lateOne;
    const meanwhile = await submitted(process, unrelated());
    await findingsOf(meanwhile.caseId, indexes);
    commit();
    await slow;

    expect(ids(await findingsOf(late.caseId, indexes))).toEqual([]);
    const copy = await submitted(process, bikeCopy(1));
    expect(ids(await findingsOf(copy.caseId, indexes))).toEqual([late.id]);
  });

  it('drops the least recently used process beyond its limit, and rebuilds it when needed', async () => {
    const indexes = new ProposalIndexes({ maxProcesses: 2 });
    const processes = await Promise.all([1, 2, 3].map(() => createProcess(t.db, { phase: 'proposals' })));
    const originals = [];
    for (const process of processes) {
      originals.push(await submitted(process, BIKE));
      await findingsOf(originals.at(-1)!.caseId, indexes);
    }
    expect(indexes.stats()).toMatchObject({ processes: 2, documents: 2 });
    expect(indexes.stats().bytes).toBeGreaterThan(0);
    // The first process was dropped: its index is read again, and finds its original.
    const copy = await submitted(processes[0]!, bikeCopy(1));
    expect(ids(await findingsOf(copy.caseId, indexes))).toEqual([originals[0]!.id]);
    expect(indexes.stats()).toMatchObject({ processes: 2, documents: 3 });
  });

  it('holds no more proposals than its limit, except those of the process in use', async () => {
    const indexes = new ProposalIndexes({ maxDocuments: 3 });
    const a = await createProcess(t.db, { phase: 'proposals' });
    const b = await createProcess(t.db, { phase: 'proposals' });
    await proposal(t.db, a, unrelated());
    await proposal(t.db, a, unrelated());
    await findingsOf((await submitted(a, BIKE)).caseId, indexes);
    expect(indexes.stats()).toMatchObject({ processes: 1, documents: 3 });
    await proposal(t.db, b, unrelated());
    await proposal(t.db, b, unrelated());
    await proposal(t.db, b, unrelated());
    await findingsOf((await submitted(b, BIKE)).caseId, indexes);
    expect(indexes.stats()).toMatchObject({ processes: 1, documents: 4 });
  });
});

describe('prescreenCase: two runs at once', () => {
  it('stores the findings once; the other run gives back the stored ones', async () => {
    const process = await createProcess(t.db, { phase: 'proposals' });
    await proposal(t.db, process, BIKE);
    const { caseId } = await submitted(process, {
      ...bikeCopy(1),
      body: `${bikeCopy(1).body} Mi teléfono es 612345678.`,
    });
    // Both runs read the case before either writes: the UPDATE waits until both have arrived.
    let arrived = 0;
    let release!: () => void;
    const bothThere = new Promise<void>((resolve) => (release = resolve));
    const gated = (now: Date): DomainDeps => {
      const db = new Proxy(t.db, {
        get(target, key, receiver) {
          if (key !== 'moderationCase') return Reflect.get(target, key, receiver);
          const cases = target.moderationCase;
          return new Proxy(cases, {
            get(c, k, r) {
              if (k !== 'updateMany') return Reflect.get(c, k, r);
              return async (...args: Parameters<typeof cases.updateMany>) => {
                if (++arrived === 2) release();
                await bothThere;
                return cases.updateMany(...args);
              };
            },
          });
        },
      });
      return { ...t.at(now), db };
    };
    const [one, two] = await Promise.all([
      prescreenCase(gated(AT), { caseId }, new ProposalIndexes()),
      prescreenCase(gated(LATER), { caseId }, new ProposalIndexes()),
    ]);
    expect(arrived).toBe(2);
    const results = [one, two] as { ok: true; findings: Finding[]; alreadyDone: boolean }[];
    expect(results.map((r) => r.alreadyDone).sort()).toEqual([false, true]);
    expect(one).toMatchObject({ ok: true });
    expect(results[0]!.findings).toEqual(results[1]!.findings);
    expect(results[0]!.findings.map((f) => f.kind)).toEqual(['personal-data', 'near-duplicate']);
    const stored = await t.db.moderationCase.findUniqueOrThrow({ where: { id: caseId } });
    expect(stored.findings).toEqual(results[0]!.findings);
    const winner = results[0]!.alreadyDone ? LATER : AT;
    expect(stored.prescreenedAt).toEqual(winner);
  });
});

async function findingsOf(caseId: number, indexes: ProposalIndexes, now = AT): Promise<Finding[]> {
  const result = await prescreenCase(t.at(now), { caseId }, indexes);
  if (!result.ok) throw new Error(`prescreenCase: ${result.reason}`);
  return result.findings;
}

const ids = (findings: Finding[]) => nearDuplicates(findings).map((m) => m.id);
