// Sending starts: the broadcast moves from scheduled to sending and its audience is frozen into the ledger
// (one row per recipient, unique), in one transaction. Run again (a restarted job), it changes nothing and
// says where things stand; a cancelled or finished broadcast is not started.
import { LIFT_STATEMENT_TIMEOUT } from '../db/long-work.ts';
import { isDbId } from './ids.ts';
import type { DomainDeps } from './deps.ts';
import { audit } from './moderation-cases.ts';
import { audienceQuery, type Audience } from './broadcast-audience.ts';
import type { BroadcastStatus } from '../generated/prisma/enums.ts';

export type StartBroadcastResult =
  | { ok: true; recipients: number; startedNow: boolean }
  | { ok: false; reason: 'not-found' | 'cancelled' | 'done' };

export async function startBroadcast(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { broadcastId: number },
): Promise<StartBroadcastResult> {
  if (!isDbId(input.broadcastId)) return { ok: false, reason: 'not-found' };
  const now = deps.now();
  return deps.db.$transaction(async (tx) => {
    const [b] = await tx.$queryRaw<
      { status: BroadcastStatus; processId: number; audience: Audience; recipients: number }[]
    >`SELECT status::text AS status, "processId", audience, recipients FROM "Broadcast"
      WHERE id = ${input.broadcastId} FOR UPDATE`;
    if (!b) return { ok: false, reason: 'not-found' } as const;
    if (b.status === 'cancelled' || b.status === 'done') return { ok: false, reason: b.status } as const;
    if (b.status === 'sending') return { ok: true, recipients: b.recipients, startedNow: false } as const;
    await tx.$executeRaw(LIFT_STATEMENT_TIMEOUT);
    const recipients = await tx.$executeRaw`
      INSERT INTO "BroadcastDelivery" ("broadcastId", "participantId", channel, locale)
      SELECT ${input.broadcastId}, a."participantId", a.channel, a.locale
      FROM (${audienceQuery(b.processId, b.audience)}) a
      ON CONFLICT ("broadcastId", "participantId") DO NOTHING`;
    await tx.broadcast.update({
      where: { id: input.broadcastId },
      data: { status: 'sending', startedAt: now, recipients },
    });
    await audit(tx, {
      actor: 'system',
      action: 'broadcast.start',
      target: { kind: 'broadcast', id: input.broadcastId },
      after: { recipients },
      at: now,
    });
    return { ok: true, recipients, startedNow: true } as const;
    // Freezing a large audience takes seconds (~9 s for 100,000 recipients on a small machine): Prisma's
    // default 5 s would expire the transaction on every attempt, and the broadcast would never start.
  }, FREEZE_TRANSACTION);
}

const FREEZE_TRANSACTION = { maxWait: 10_000, timeout: 10 * 60_000 };
