// Test support for the process use cases: a recognisable announcement writer (its texts name the phase, its
// end and the time zone, so a test sees which phase and zone a broadcast was written for), a process made
// through create-process around a fixed clock, and its stored phases and announcements.
import { randomBytes } from 'node:crypto';
import { createProcess } from '../../src/domain/create-process.ts';
import type { DomainDeps } from '../../src/domain/deps.ts';
import type { PhaseAnnouncementTexts } from '../../src/domain/process-phase-announcements.ts';
import type { PhaseInput } from '../../src/domain/process-rules.ts';
import type { Db } from '../../src/db/client.ts';

export const HOUR = 3600 * 1000;
export const DAY = 24 * HOUR;

export const announce: PhaseAnnouncementTexts = (p) => ({
  es: `Abre ${p.kind} hasta ${p.endsAt.toISOString()} (${p.timeZone})${p.acceptsProposals ? ' +propuestas' : ''}`,
  en: `Opens ${p.kind} until ${p.endsAt.toISOString()} (${p.timeZone})`,
});

export const slugOf = () => `proc-${randomBytes(4).toString('hex')}`;

/** Phases around `now`: one ended, one under way, two to come (the first and last one day apart). */
export function fourPhases(now: Date): PhaseInput[] {
  const t = now.getTime();
  return [
    { kind: 'information', startsAt: new Date(t - 20 * DAY), endsAt: new Date(t - 10 * DAY) },
    { kind: 'proposals', startsAt: new Date(t - 10 * DAY), endsAt: new Date(t + 10 * DAY) },
    {
      kind: 'debate',
      startsAt: new Date(t + 11 * DAY),
      endsAt: new Date(t + 20 * DAY),
      acceptsProposals: true,
    },
    { kind: 'voting', startsAt: new Date(t + 20 * DAY), endsAt: new Date(t + 30 * DAY) },
  ];
}

export async function newProcess(
  deps: DomainDeps,
  staffMemberId: string,
  phases: PhaseInput[],
  opts: { timeZone?: string } = {},
): Promise<number> {
  const r = await createProcess(deps, {
    staffMemberId,
    slug: slugOf(),
    title: { es: 'Presupuestos participativos', en: 'Participatory budget' },
    description: { es: 'Decide en qué se invierte.' },
    timeZone: opts.timeZone,
    categories: [{ key: 'movilidad', label: { es: 'Movilidad', en: 'Mobility' } }],
    phases,
    announce,
  });
  if (!r.ok) throw new Error(r.reason);
  return r.process.id;
}

export async function phasesOf(db: Db, processId: number) {
  return db.phase.findMany({
    where: { processId },
    orderBy: { position: 'asc' },
    select: {
      position: true,
      kind: true,
      startsAt: true,
      endsAt: true,
      acceptsProposals: true,
      announcementId: true,
    },
  });
}

export async function broadcastOf(db: Db, id: number | null) {
  if (id === null) return null;
  return db.broadcast.findUniqueOrThrow({
    where: { id },
    select: {
      id: true,
      processId: true,
      createdById: true,
      status: true,
      scheduledAt: true,
      texts: true,
      audience: true,
    },
  });
}
