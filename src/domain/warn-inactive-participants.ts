// The retention sweep's warning (retention.ts). In one transaction: participants due a warning are marked
// warned now, with one conditional UPDATE (a person who wrote meanwhile is not marked; rows another sweep
// holds are skipped, so sweeps running at once warn each person once), and each gets a `retention-warning`
// notice (notices.ts: unique per person and warning, on their Telegram account if reachable, else web chat,
// else the Telegram account they blocked: not pushed, shown if they write again).
// So nobody is marked warned without the notice that tells them: a crash before commit leaves neither.
// After commit, a `retention-warning` notifications job per warning time delivers the Telegram ones (ids
// and times only); jobs of earlier warnings not delivered yet are enqueued again (a no-op while the job is
// kept), so a crash between commit and enqueue loses nothing.
//
// Who is told: anyone whose participation consent stands, whatever their `updates` consent. The warning is
// not news or marketing (what `updates` and «baja» are about) but information about the processing of
// their own data — what will be erased, when, and how to keep it (GDPR arts. 12–13, 5(1)(a)) — like the
// notices about their own proposals. A person who withdrew participation consent is not messaged (they
// asked to receive nothing more, withdraw-consent.ts); one who blocked the bot is not pushed to (the notice
// waits for their next message: find-pushable-notices). They are marked
// warned all the same, so their data goes on the same schedule: erasure is what they would want.
import type { DomainDeps } from './deps.ts';
import { recordNotices, type NoticeEvent } from './notices.ts';
import {
  dueWarning,
  RETENTION_WARNING,
  retentionThresholds,
  retentionWarningKey,
  retentionWarningPayload,
  type RetentionPolicy,
} from './retention.ts';

export interface WarnInactiveParticipantsResult {
  /** Participants marked warned now. */
  warned: string[];
  /** Notices recorded for them (those with participation consent and a channel). */
  noticed: number;
  /** Delivery jobs enqueued (this warning's, and earlier ones not delivered yet). */
  enqueued: number;
}

export async function warnInactiveParticipants(
  deps: Pick<DomainDeps, 'db' | 'now' | 'queues' | 'logger'>,
  input: RetentionPolicy & { limit?: number } = {},
): Promise<WarnInactiveParticipantsResult> {
  const now = deps.now();
  const t = retentionThresholds(now, input);
  const payload = retentionWarningPayload(now, input);
  const { warned, noticed } = await deps.db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      UPDATE "Participant" SET "retentionWarnedAt" = ${now}
      WHERE id IN (SELECT p.id FROM "Participant" p WHERE ${dueWarning(t)}
        ORDER BY p."lastSeenAt", p.id LIMIT ${input.limit ?? 1000} FOR UPDATE SKIP LOCKED)
      RETURNING id::text AS id`;
    if (rows.length === 0) return { warned: [], noticed: 0 };
    const events: NoticeEvent[] = rows.map((r) => ({
      participantId: r.id,
      kind: RETENTION_WARNING,
      eventKey: retentionWarningKey(now),
      payload: { ...payload },
    }));
    const pending = await recordNotices({ db: tx }, events);
    return { warned: rows.map((r) => r.id).sort(), noticed: pending.length };
  });
  // Warnings with Telegram notices still to deliver (this one included): the warning time names the job.
  // Only people whose warning stands (coming back clears it; erasure deletes their notices).
  const due = await deps.db.$queryRaw<{ at: bigint }[]>`
    SELECT DISTINCT (n.payload->>'warnedAt')::bigint AS at
    FROM "Participant" p JOIN "Notice" n ON n."participantId" = p.id AND n.channel = 'telegram'
      AND n."deliveredAt" IS NULL AND n.kind = ${RETENTION_WARNING}
    WHERE p."retentionWarnedAt" IS NOT NULL AND p."erasedAt" IS NULL
    ORDER BY at`;
  let enqueued = 0;
  for (const { at } of due) {
    try {
      await deps.queues.notify({ kind: 'retention-warning', at: Number(at) });
      enqueued++;
    } catch (error) {
      deps.logger.error({ err: error }, 'retention warnings not enqueued; retried next sweep');
    }
  }
  return { warned, noticed, enqueued };
}
