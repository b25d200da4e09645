// The retention sweep's warning (retention.ts): marks participants due a warning as warned now, with one
// conditional UPDATE (a person who wrote meanwhile is not marked), and returns them with their reachable
// channel accounts, for the caller to tell them that their data will be erased in `warnDays` days unless
// they come back. Repeating it warns nobody twice.
import type { DomainDeps } from './deps.ts';
import { dueWarning, retentionThresholds, type RetentionPolicy } from './retention.ts';

export interface WarnedParticipant {
  participantId: string;
  accounts: { channel: string; externalId: string }[];
}

export async function warnInactiveParticipants(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: RetentionPolicy & { limit?: number } = {},
): Promise<{ warned: WarnedParticipant[] }> {
  const now = deps.now();
  const t = retentionThresholds(now, input);
  const rows = await deps.db.$queryRaw<{ id: string }[]>`
    UPDATE "Participant" SET "retentionWarnedAt" = ${now}
    WHERE id IN (SELECT p.id FROM "Participant" p WHERE ${dueWarning(t)}
      ORDER BY p."lastSeenAt", p.id LIMIT ${input.limit ?? 1000} FOR UPDATE SKIP LOCKED)
    RETURNING id::text AS id`;
  if (rows.length === 0) return { warned: [] };
  const accounts = await deps.db.channelAccount.findMany({
    where: { participantId: { in: rows.map((r) => r.id) }, unreachableAt: null },
    orderBy: { createdAt: 'asc' },
    select: { participantId: true, channel: true, externalId: true },
  });
  return {
    warned: rows.map((r) => ({
      participantId: r.id,
      accounts: accounts
        .filter((a) => a.participantId === r.id)
        .map((a) => ({ channel: a.channel, externalId: a.externalId })),
    })),
  };
}
