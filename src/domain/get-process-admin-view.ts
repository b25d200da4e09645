// One process as staff manage it (the admin API): every field with its texts in every language, the phases
// in order with the current one and each phase's announcement (its broadcast's id, status and time), the
// categories with how many proposals each has (one with proposals cannot be removed).
import type { BroadcastStatus, ModerationMode, PhaseKind } from '../generated/prisma/enums.ts';
import { currentPhase } from './current-phase.ts';
import type { DomainDeps } from './deps.ts';
import { isDbId } from './ids.ts';

export interface ProcessAdminView {
  id: number;
  slug: string;
  title: Record<string, string>;
  description: Record<string, string>;
  timeZone: string;
  supportsPerParticipant: number;
  moderationMode: ModerationMode;
  reportThreshold: number;
  /** Supporting needs a verification code (imported by staff) in this process. */
  requiresVerification: boolean;
  createdAt: Date;
  /** The kind of the phase under way; null before, between or after the phases. */
  currentPhase: PhaseKind | null;
  /** Its position (what advance-phase's `from` names); null when no phase is under way. */
  currentPhasePosition: number | null;
  phases: {
    position: number;
    kind: PhaseKind;
    startsAt: Date;
    endsAt: Date;
    acceptsProposals: boolean;
    current: boolean;
    announcement: { id: number; status: BroadcastStatus; scheduledAt: Date | null } | null;
  }[];
  categories: {
    id: number;
    key: string;
    label: Record<string, string>;
    position: number;
    proposals: number;
  }[];
}

export async function getProcessAdminView(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { processId: number },
): Promise<ProcessAdminView | undefined> {
  if (!isDbId(input.processId)) return undefined;
  const p = await deps.db.process.findUnique({
    where: { id: input.processId },
    include: {
      phases: { orderBy: { position: 'asc' } },
      categories: { orderBy: { position: 'asc' }, include: { _count: { select: { proposals: true } } } },
    },
  });
  if (!p) return undefined;
  const announcementIds = p.phases.flatMap((ph) => (ph.announcementId === null ? [] : [ph.announcementId]));
  const announcements = new Map(
    (
      await deps.db.broadcast.findMany({
        where: { id: { in: announcementIds } },
        select: { id: true, status: true, scheduledAt: true },
      })
    ).map((b) => [b.id, b]),
  );
  const current = currentPhase(p.phases, deps.now());
  return {
    id: p.id,
    slug: p.slug,
    title: p.title as Record<string, string>,
    description: p.description as Record<string, string>,
    timeZone: p.timeZone,
    supportsPerParticipant: p.supportsPerParticipant,
    moderationMode: p.moderationMode,
    reportThreshold: p.reportThreshold,
    requiresVerification: p.requiresVerification,
    createdAt: p.createdAt,
    currentPhase: current?.kind ?? null,
    currentPhasePosition: current?.position ?? null,
    phases: p.phases.map((ph) => ({
      position: ph.position,
      kind: ph.kind,
      startsAt: ph.startsAt,
      endsAt: ph.endsAt,
      acceptsProposals: ph.acceptsProposals,
      current: ph === current,
      announcement: (ph.announcementId !== null && announcements.get(ph.announcementId)) || null,
    })),
    categories: p.categories.map((c) => ({
      id: c.id,
      key: c.key,
      label: c.label as Record<string, string>,
      position: c.position,
      proposals: c._count.proposals,
    })),
  };
}
