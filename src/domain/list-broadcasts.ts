// Broadcasts as staff list them (the admin API, the dashboard): newest first (by creation, ties by id),
// optionally of one process, with who created them, their audience, texts and schedule. The figures of one
// broadcast come from get-broadcast-progress.
//
// Paged by keyset: `after` names the last broadcast shown (any broadcast: its creation time and id say where
// to continue), so broadcasts created meanwhile neither repeat nor push others off later pages. A cursor that
// names no broadcast gives nothing (none is deleted, but with its process). Without `after`: the newest.
import type { Prisma } from '../generated/prisma/client.ts';
import type { BroadcastStatus } from '../generated/prisma/enums.ts';
import type { Audience } from './broadcast-audience.ts';
import type { DomainDeps, Locale } from './deps.ts';
import { isDbId } from './ids.ts';

export const DEFAULT_BROADCASTS_LIMIT = 20;
export const MAX_BROADCASTS_LIMIT = 100;

export interface BroadcastSummary {
  id: number;
  processId: number;
  status: BroadcastStatus;
  /** The staff member's name; null once their record is gone. */
  createdBy: string | null;
  createdAt: Date;
  scheduledAt: Date | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** Recipients frozen into the ledger (0 until sending starts). */
  recipients: number;
  audience: Audience;
  texts: Partial<Record<Locale, string>>;
}

export async function listBroadcasts(
  deps: Pick<DomainDeps, 'db'>,
  /**
   * `limit`: 1 … MAX_BROADCASTS_LIMIT (clamped); default DEFAULT_BROADCASTS_LIMIT. `after`: the id of the
   * last broadcast of the previous page; the ones older than it follow.
   */
  input: { processId?: number; limit?: number; after?: number } = {},
): Promise<BroadcastSummary[]> {
  if (input.processId !== undefined && !isDbId(input.processId)) return [];
  const asked = Number.isFinite(input.limit) ? Math.trunc(input.limit!) : DEFAULT_BROADCASTS_LIMIT;
  const limit = Math.min(MAX_BROADCASTS_LIMIT, Math.max(1, asked));
  let older: Prisma.BroadcastWhereInput = {};
  if (input.after !== undefined) {
    if (!isDbId(input.after)) return [];
    const cursor = await deps.db.broadcast.findUnique({
      where: { id: input.after },
      select: { createdAt: true },
    });
    if (!cursor) return [];
    older = {
      OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: input.after } }],
    };
  }
  const rows = await deps.db.broadcast.findMany({
    where: { ...(input.processId !== undefined ? { processId: input.processId } : {}), ...older },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit,
    select: {
      id: true,
      processId: true,
      status: true,
      createdAt: true,
      scheduledAt: true,
      startedAt: true,
      finishedAt: true,
      recipients: true,
      audience: true,
      texts: true,
      createdBy: { select: { name: true } },
    },
  });
  return rows.map(({ createdBy, audience, texts, ...b }) => ({
    ...b,
    createdBy: createdBy?.name ?? null,
    audience: (audience ?? {}) as Audience,
    texts: (texts ?? {}) as Partial<Record<Locale, string>>,
  }));
}
