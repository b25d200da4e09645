// Which phase of a process is current at a given time, and what it allows. Pure: no database.
import type { PhaseKind } from '../generated/prisma/enums.ts';

export interface PhaseLike {
  kind: PhaseKind;
  position: number;
  startsAt: Date;
  endsAt: Date;
  acceptsProposals: boolean;
}

/** The phase whose [startsAt, endsAt) contains `now`, or undefined between, before or after all phases. */
export function currentPhase<P extends PhaseLike>(phases: readonly P[], now: Date): P | undefined {
  const t = now.getTime();
  return [...phases]
    .sort((a, b) => a.position - b.position)
    .find((p) => p.startsAt.getTime() <= t && t < p.endsAt.getTime());
}

export function acceptsProposals(phase: PhaseLike | undefined): boolean {
  return phase !== undefined && (phase.kind === 'proposals' || phase.acceptsProposals);
}

export function acceptsSupports(phase: PhaseLike | undefined): boolean {
  return phase?.kind === 'voting';
}
