// Processes a citizen can look at, each with its current phase. Newest first.
import type { PhaseKind } from '../generated/prisma/enums.ts';
import { currentPhase } from './current-phase.ts';
import type { DomainDeps, Locale } from './deps.ts';
import { pickText } from './localized-text.ts';

export interface ProcessSummary {
  id: number;
  slug: string;
  title: string;
  /** Undefined before the first phase, between phases or after the last one. */
  phase: PhaseKind | undefined;
}

export async function listProcesses(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { locale: Locale },
): Promise<ProcessSummary[]> {
  const processes = await deps.db.process.findMany({
    orderBy: { id: 'desc' },
    take: 20,
    select: { id: true, slug: true, title: true, phases: true },
  });
  const now = deps.now();
  return processes.map((p) => ({
    id: p.id,
    slug: p.slug,
    title: pickText(p.title, input.locale),
    phase: currentPhase(p.phases, now)?.kind,
  }));
}
