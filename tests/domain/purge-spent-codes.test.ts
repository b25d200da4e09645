import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeSpentCodes } from '../../src/domain/purge-spent-codes.ts';
import { createProcess } from '../support/fixtures.ts';
import { createDomainTest, DAY, type DomainTest } from './harness.ts';

let t: DomainTest;
beforeAll(async () => {
  t = await createDomainTest();
});
afterAll(() => t?.cleanup());

describe('purgeSpentCodes', () => {
  it('removes link codes an hour after they expired and attempts after two days, nothing younger', async () => {
    // A clock of its own, after everything other tests wrote.
    const now = new Date(Date.now() + 30 * DAY);
    const ago = (ms: number) => new Date(now.getTime() - ms);
    const id = randomUUID();
    await t.db.participant.create({ data: { id } });
    const process = await createProcess(t.db);
    const code = (hash: string, expiresAt: Date) => ({
      participantId: id,
      codeHash: `${hash}-${randomUUID()}`,
      channel: 'telegram',
      expiresAt,
    });
    await t.db.linkCode.createMany({
      data: [code('old', ago(61 * 60_000)), code('recent', ago(59 * 60_000)), code('live', ago(-60_000))],
    });
    await t.db.linkCodeAttempt.createMany({
      data: [
        { participantId: id, succeeded: false, createdAt: ago(2 * DAY + 1) },
        { participantId: id, succeeded: false, createdAt: ago(DAY) },
      ],
    });
    await t.db.verificationAttempt.createMany({
      data: [
        { participantId: id, processId: process.id, succeeded: false, createdAt: ago(3 * DAY) },
        { participantId: id, processId: process.id, succeeded: true, createdAt: ago(DAY) },
      ],
    });

    expect(await purgeSpentCodes(t.at(now))).toEqual({
      linkCodes: 1,
      linkAttempts: 1,
      verificationAttempts: 1,
    });
    const left = await t.db.linkCode.findMany({ where: { participantId: id }, select: { codeHash: true } });
    expect(left.map((c) => c.codeHash.split('-')[0]).sort()).toEqual(['live', 'recent']);
    expect(await t.db.linkCodeAttempt.count({ where: { participantId: id } })).toBe(1);
    expect(await t.db.verificationAttempt.count({ where: { participantId: id } })).toBe(1);
    expect(await purgeSpentCodes(t.at(now))).toEqual({
      linkCodes: 0,
      linkAttempts: 0,
      verificationAttempts: 0,
    });
  });
});
