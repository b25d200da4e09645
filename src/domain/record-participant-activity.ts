// A participant was seen (they wrote, pressed a button): lastSeenAt moves on, which the retention sweep
// reads (retention.ts), and a retention warning no longer stands. At most one write an hour per person: the
// UPDATE's condition leaves the row alone otherwise. The engine calls it when find-participant says the
// last-seen time is stale.
import type { DomainDeps } from './deps.ts';
import { isUuid } from './staff-members.ts';

const EVERY_MS = 3600 * 1000;

export async function recordParticipantActivity(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { participantId: string },
): Promise<{ recorded: boolean }> {
  if (!isUuid(input.participantId)) return { recorded: false };
  const now = deps.now();
  const count = await deps.db.$executeRaw`
    UPDATE "Participant" SET "lastSeenAt" = ${now}, "retentionWarnedAt" = NULL
    WHERE id = ${input.participantId}::uuid AND "erasedAt" IS NULL
      AND ("lastSeenAt" < ${new Date(now.getTime() - EVERY_MS)} OR "retentionWarnedAt" IS NOT NULL)`;
  return { recorded: count > 0 };
}
