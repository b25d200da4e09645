// Who the retention sweep concerns now (retention.ts): participants due a warning and participants due
// erasure, oldest absence first, at most `limit` of each; `skip`: ids left out of erasure (those that
// failed earlier in the same sweep, so that they do not hold back the people after them).
import type { DomainDeps } from './deps.ts';
import { dueErasure, dueWarning, retentionThresholds, type RetentionPolicy } from './retention.ts';

export interface InactiveParticipants {
  toWarn: string[];
  toErase: string[];
}

export async function findInactiveParticipants(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: RetentionPolicy & { limit?: number; skip?: readonly string[] } = {},
): Promise<InactiveParticipants> {
  const t = retentionThresholds(deps.now(), input);
  const limit = input.limit ?? 1000;
  const toWarn = await deps.db.$queryRaw<{ id: string }[]>`
    SELECT p.id::text AS id FROM "Participant" p WHERE ${dueWarning(t)}
    ORDER BY p."lastSeenAt", p.id LIMIT ${limit}`;
  const toErase = await deps.db.$queryRaw<{ id: string }[]>`
    SELECT p.id::text AS id FROM "Participant" p WHERE ${dueErasure(t)}
      AND NOT (p.id::text = ANY(${[...(input.skip ?? [])]}::text[]))
    ORDER BY p."lastSeenAt", p.id LIMIT ${limit}`;
  return { toWarn: toWarn.map((r) => r.id), toErase: toErase.map((r) => r.id) };
}
