// The results of a process once its voting is over: public proposals by number of supports (the order of
// get-ranking: most supported first, ties to the older proposal), each with its outcome — selected, not
// selected, or not decided yet — and the administration's official answer if there is one. While voting is
// open, not started, or the process has no voting phase, there are no results yet (`closed: false`): the
// ranking so far is get-ranking's job. A page at a time, as get-ranking: `offset` skips that many (positions
// go on counting from it), `limit` gives at most that many (default 10).
import type { DomainDeps } from './deps.ts';
import { isDbId } from './ids.ts';
import { PUBLIC_STATUSES } from './proposal-visibility.ts';

export type ProposalOutcome = 'selected' | 'not_selected' | 'undecided';

export interface ResultEntry {
  position: number;
  id: number;
  title: string;
  supports: number;
  outcome: ProposalOutcome;
  /** The administration's official answer, if given. */
  answer: string | undefined;
}

export type ProcessResults =
  | { closed: false }
  | {
      closed: true;
      /** When the (last) voting phase ended. */
      votingEndedAt: Date;
      entries: ResultEntry[];
      /** Public proposals in the process (entries holds at most `limit` of them, from `offset` on). */
      proposals: number;
    };

/** Undefined when the process does not exist. */
export async function getResults(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { processId: number; limit?: number; offset?: number },
): Promise<ProcessResults | undefined> {
  if (!isDbId(input.processId)) return undefined;
  const process = await deps.db.process.findUnique({
    where: { id: input.processId },
    select: { phases: { where: { kind: 'voting' }, select: { endsAt: true } } },
  });
  if (!process) return undefined;
  const votingEndedAt = lastEnd(process.phases.map((p) => p.endsAt));
  if (!votingEndedAt || votingEndedAt.getTime() > deps.now().getTime()) return { closed: false };
  // An offset that is none (negative, fractional, not a number) is the first page.
  const offset = Number.isSafeInteger(input.offset) && input.offset! > 0 ? input.offset! : 0;
  const where = { processId: input.processId, status: { in: [...PUBLIC_STATUSES] } };
  const [rows, proposals] = await Promise.all([
    deps.db.proposal.findMany({
      where,
      orderBy: [{ supports: { _count: 'desc' } }, { id: 'asc' }],
      skip: offset,
      take: input.limit ?? 10,
      select: { id: true, title: true, status: true, answer: true, _count: { select: { supports: true } } },
    }),
    deps.db.proposal.count({ where }),
  ]);
  return {
    closed: true,
    votingEndedAt,
    proposals,
    entries: rows.map((r, i) => ({
      position: offset + i + 1,
      id: r.id,
      title: r.title,
      supports: r._count.supports,
      outcome: r.status === 'selected' || r.status === 'not_selected' ? r.status : 'undecided',
      answer: r.answer?.trim() ? r.answer : undefined,
    })),
  };
}

function lastEnd(ends: Date[]): Date | undefined {
  return ends.reduce<Date | undefined>((last, d) => (!last || d > last ? d : last), undefined);
}
