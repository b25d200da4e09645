// Processes a citizen can look at, each with its current phase, a page at a time: first those whose current
// phase takes part — proposals or supports (acceptsProposals, acceptsSupports of current-phase.ts) —, then
// the rest; newest first within each. An open process is never pushed out of sight by newer closed ones.
import type { PhaseKind } from '../generated/prisma/enums.ts';
import type { DomainDeps, Locale } from './deps.ts';
import { pickText } from './localized-text.ts';

export const DEFAULT_PROCESSES_PAGE = 20;
export const MAX_PROCESSES_PAGE = 100;

export interface ProcessSummary {
  id: number;
  slug: string;
  title: string;
  /** Undefined before the first phase, between phases or after the last one. */
  phase: PhaseKind | undefined;
}

/**
 * `offset`: how many of the list to skip (default 0); `limit`: how many to give, 1 … MAX_PROCESSES_PAGE
 * (clamped), default DEFAULT_PROCESSES_PAGE. Ask one more than shown to know whether more follow.
 */
export async function listProcesses(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { locale: Locale; offset?: number; limit?: number },
): Promise<ProcessSummary[]> {
  const asked = Number.isFinite(input.limit) ? Math.trunc(input.limit!) : DEFAULT_PROCESSES_PAGE;
  const limit = Math.min(MAX_PROCESSES_PAGE, Math.max(1, asked));
  const offset = Number.isFinite(input.offset) ? Math.max(0, Math.trunc(input.offset!)) : 0;
  const now = deps.now();
  // The current phase as currentPhase() picks it: the first by position whose [startsAt, endsAt) holds now.
  const rows = await deps.db.$queryRaw<
    { id: number; slug: string; title: unknown; kind: PhaseKind | null; open: boolean }[]
  >`
    SELECT p.id, p.slug, p.title, cur.kind::text AS kind,
      COALESCE(cur.kind IN ('proposals', 'voting') OR cur."acceptsProposals", false) AS open
    FROM "Process" p
    LEFT JOIN LATERAL (
      SELECT ph.kind, ph."acceptsProposals" FROM "Phase" ph
      WHERE ph."processId" = p.id AND ph."startsAt" <= ${now} AND ph."endsAt" > ${now}
      ORDER BY ph.position LIMIT 1
    ) cur ON true
    ORDER BY open DESC, p.id DESC
    LIMIT ${limit} OFFSET ${offset}`;
  return rows.map((p) => ({
    id: p.id,
    slug: p.slug,
    title: pickText(p.title, input.locale),
    phase: p.kind ?? undefined,
  }));
}
