import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUniqueViolation } from '../../src/domain/prisma-errors.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { createParticipant, createProcess, createProposals } from '../support/fixtures.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

describe('isUniqueViolation', () => {
  it('recognises a duplicate from a Prisma query and from a raw query, and nothing else', async () => {
    const process = await createProcess(db.prisma);
    const [proposalId] = await createProposals(db.prisma, process, 1);
    const who = await createParticipant(db.prisma);
    await db.prisma.support.create({ data: { proposalId: proposalId!, participantId: who.id } });
    const viaPrisma = await db.prisma.support
      .create({ data: { proposalId: proposalId!, participantId: who.id } })
      .catch((e) => e);
    const viaRaw = await db.prisma
      .$executeRaw`INSERT INTO "Support" ("proposalId", "participantId") VALUES (${proposalId}, ${who.id}::uuid)`.catch(
      (e) => e,
    );
    const other = await db.prisma.$executeRaw`SELECT 1/0`.catch((e) => e);
    expect(isUniqueViolation(viaPrisma)).toBe(true);
    expect(isUniqueViolation(viaRaw)).toBe(true);
    expect(isUniqueViolation(other)).toBe(false);
    expect(isUniqueViolation(new Error('x'))).toBe(false);
  });
});
