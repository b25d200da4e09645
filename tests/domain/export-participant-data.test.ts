import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  exportParticipantData,
  PARTICIPANT_DATA_SECTIONS,
  PARTICIPANT_EXPORT_VERSION,
} from '../../src/domain/export-participant-data.ts';
import { createDomainTest, type DomainTest } from './harness.ts';
import { SEEDERS, seedPerson, tablesLinkedToParticipant } from './participant-data-seed.ts';

let t: DomainTest;
beforeAll(async () => {
  t = await createDomainTest();
});
afterAll(() => t?.cleanup());

describe('exportParticipantData', () => {
  it('knows, and the test seeds, every table the database links to Participant', async () => {
    const linked = await tablesLinkedToParticipant(t.db);
    expect(linked.length).toBeGreaterThan(10);
    expect(Object.keys(PARTICIPANT_DATA_SECTIONS).sort()).toEqual(linked);
    expect(Object.keys(SEEDERS).sort()).toEqual(linked);
  });

  it("exports a row of every one of those tables, as JSON, with the time and the format's version", async () => {
    const person = await seedPerson(t.db, t.deps);
    const now = new Date('2026-11-20T10:00:00.000Z');
    const result = await exportParticipantData(t.at(now), { participantId: person.id });
    if (!result.ok) throw new Error(result.reason);
    const data = result.data;
    expect(data).toMatchObject({
      format: 'plaza.participant-data',
      version: PARTICIPANT_EXPORT_VERSION,
      generatedAt: now.toISOString(),
      participant: { id: person.id, locale: 'en' },
    });
    for (const table of await tablesLinkedToParticipant(t.db)) {
      const section = PARTICIPANT_DATA_SECTIONS[table as keyof typeof PARTICIPANT_DATA_SECTIONS];
      expect(data[section], `${table} → ${section}`).not.toHaveLength(0);
    }
    expect(JSON.parse(JSON.stringify(data))).toEqual(data);
    expect(data.accounts.map((a) => a.externalId).sort()).toEqual(
      [person.telegramId, person.webchatId].sort(),
    );
    expect(data.proposals.map((p) => p.title)).toContain(person.publicProposalTitle);
    for (const text of person.privateTexts) expect(JSON.stringify(data)).toContain(text);
    expect(data.supports.map((s) => s.proposalId).sort()).toEqual([...person.supportedIds].sort());
    // Readable on its own (GDPR art. 15): what each registration and follow is about, not an id alone.
    expect(data.eventRegistrations).toEqual([
      expect.objectContaining({
        eventId: person.eventId,
        status: 'registered',
        eventTitle: { es: 'Taller' },
        eventPlace: 'Centro cívico',
        eventStartsAt: expect.any(String),
      }),
    ]);
    for (const follow of data.follows) expect(follow.proposalTitle, 'follow').toEqual(expect.any(String));
  });

  it('leaves out code digests and other people', async () => {
    const person = await seedPerson(t.db, t.deps);
    const other = await seedPerson(t.db, t.deps);
    const result = await exportParticipantData(t.deps, { participantId: person.id });
    if (!result.ok) throw new Error(result.reason);
    const text = JSON.stringify(result.data);
    expect(text).not.toMatch(/codeHash|[0-9a-f]{64}/);
    expect(result.data.linkCodes[0]).toEqual({
      channel: 'telegram',
      createdAt: expect.any(String),
      expiresAt: expect.any(String),
      usedAt: null,
      claimedChannel: null,
      claimedAt: null,
      shownToMe: true,
    });
    expect(result.data.verifications).toEqual([
      { processId: person.process.id, redeemedAt: expect.any(String) },
    ]);
    expect(text).not.toContain(other.id);
    expect(text).not.toContain(other.telegramId);
  });

  it('finds nobody for an unknown or malformed id', async () => {
    expect(await exportParticipantData(t.deps, { participantId: crypto.randomUUID() })).toEqual({
      ok: false,
      reason: 'not-found',
    });
    expect(await exportParticipantData(t.deps, { participantId: 'nope' })).toEqual({
      ok: false,
      reason: 'not-found',
    });
  });
});
