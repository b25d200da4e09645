// One process as a citizen sees it: texts, phases in order with the current one, categories, rules.
import type { PhaseKind } from '../generated/prisma/enums.ts';
import { acceptsProposals, acceptsSupports, currentPhase } from './current-phase.ts';
import { isDbId } from './ids.ts';
import type { DomainDeps, Locale } from './deps.ts';
import { pickText } from './localized-text.ts';

export interface ProcessView {
  id: number;
  slug: string;
  title: string;
  description: string;
  timeZone: string;
  phases: { kind: PhaseKind; startsAt: Date; endsAt: Date; current: boolean }[];
  currentPhase: PhaseKind | undefined;
  currentPhaseEndsAt: Date | undefined;
  acceptsProposals: boolean;
  acceptsSupports: boolean;
  supportsPerParticipant: number;
  categories: { id: number; key: string; label: string }[];
}

export async function getProcess(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { processId?: number; slug?: string; locale: Locale },
): Promise<ProcessView | undefined> {
  if (input.processId !== undefined ? !isDbId(input.processId) : input.slug === undefined) return undefined;
  const p = await deps.db.process.findUnique({
    where: input.processId !== undefined ? { id: input.processId } : { slug: input.slug },
    include: { phases: { orderBy: { position: 'asc' } }, categories: { orderBy: { position: 'asc' } } },
  });
  if (!p) return undefined;
  const current = currentPhase(p.phases, deps.now());
  return {
    id: p.id,
    slug: p.slug,
    title: pickText(p.title, input.locale),
    description: pickText(p.description, input.locale),
    timeZone: p.timeZone,
    phases: p.phases.map((ph) => ({
      kind: ph.kind,
      startsAt: ph.startsAt,
      endsAt: ph.endsAt,
      current: ph === current,
    })),
    currentPhase: current?.kind,
    currentPhaseEndsAt: current?.endsAt,
    acceptsProposals: acceptsProposals(current),
    acceptsSupports: acceptsSupports(current),
    supportsPerParticipant: p.supportsPerParticipant,
    categories: p.categories.map((c) => ({ id: c.id, key: c.key, label: pickText(c.label, input.locale) })),
  };
}
