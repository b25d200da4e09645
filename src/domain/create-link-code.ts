// "Vincular cuentas", first half: a participant asks, in one channel, for a code to type in another. Six
// digits from the system's cryptographic generator, valid for ten minutes, stored as a digest with the
// channel it was shown in. A new code makes the participant's earlier unused ones expire at once. Codes are
// unique among those kept (LinkCode.codeHash); a clash with someone else's code draws another one. Spent
// and expired codes are removed by the retention sweep (purge-spent-codes), not here: a delete of everyone's
// old codes inside this transaction would lock rows in another order than a merge does.
import { randomInt } from 'node:crypto';
import { lockParticipant } from './consent-ledger.ts';
import type { DomainDeps } from './deps.ts';
import { hashLinkCode, LINK_CODE_TTL_MS } from './link-codes.ts';
import { isUniqueViolation } from './prisma-errors.ts';
import { isUuid } from './staff-members.ts';

export type CreateLinkCodeResult =
  { ok: true; code: string; expiresAt: Date } | { ok: false; reason: 'not-found' };

const DRAWS = 10;

export async function createLinkCode(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { participantId: string; channel: string },
): Promise<CreateLinkCodeResult> {
  if (!isUuid(input.participantId)) return { ok: false, reason: 'not-found' };
  for (let draw = 1; ; draw++) {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    try {
      return await deps.db.$transaction(async (tx) => {
        await lockParticipant(tx, input.participantId);
        const me = await tx.participant.findUnique({
          where: { id: input.participantId },
          select: { erasedAt: true },
        });
        if (!me || me.erasedAt) return { ok: false as const, reason: 'not-found' as const };
        const now = deps.now();
        await tx.linkCode.updateMany({
          where: { participantId: input.participantId, usedAt: null, expiresAt: { gt: now } },
          data: { expiresAt: now },
        });
        const expiresAt = new Date(now.getTime() + LINK_CODE_TTL_MS);
        await tx.linkCode.create({
          data: {
            participantId: input.participantId,
            codeHash: hashLinkCode(code),
            channel: input.channel,
            expiresAt,
            createdAt: now,
          },
        });
        return { ok: true as const, code, expiresAt };
      });
    } catch (error) {
      if (!isUniqueViolation(error) || draw >= DRAWS) throw error;
    }
  }
}
