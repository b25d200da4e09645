import { describe, expect, it } from 'vitest';
import {
  acceptsProposals,
  acceptsSupports,
  currentPhase,
  type PhaseLike,
} from '../../src/domain/current-phase.ts';
import type { PhaseKind } from '../../src/generated/prisma/enums.ts';

const at = (iso: string) => new Date(iso);
const phase = (
  kind: PhaseKind,
  position: number,
  startsAt: string,
  endsAt: string,
  accepts = false,
): PhaseLike => ({
  kind,
  position,
  startsAt: at(startsAt),
  endsAt: at(endsAt),
  acceptsProposals: accepts,
});

// Given out of order on purpose; a gap between debate and voting.
const phases = [
  phase('voting', 3, '2026-03-10T00:00:00Z', '2026-03-20T00:00:00Z'),
  phase('proposals', 1, '2026-03-01T00:00:00Z', '2026-03-05T00:00:00Z'),
  phase('debate', 2, '2026-03-05T00:00:00Z', '2026-03-08T00:00:00Z'),
];

describe('currentPhase', () => {
  it.each([
    ['2026-02-28T23:59:59.999Z', undefined],
    ['2026-03-01T00:00:00.000Z', 'proposals'],
    ['2026-03-04T23:59:59.999Z', 'proposals'],
    ['2026-03-05T00:00:00.000Z', 'debate'],
    ['2026-03-07T23:59:59.999Z', 'debate'],
    ['2026-03-08T00:00:00.000Z', undefined],
    ['2026-03-09T12:00:00.000Z', undefined],
    ['2026-03-10T00:00:00.000Z', 'voting'],
    ['2026-03-19T23:59:59.999Z', 'voting'],
    ['2026-03-20T00:00:00.000Z', undefined],
  ])('at %s is %s', (now, kind) => {
    expect(currentPhase(phases, at(now))?.kind).toBe(kind);
  });

  it('returns the phase object itself, and undefined without phases', () => {
    expect(currentPhase(phases, at('2026-03-02T00:00:00Z'))).toBe(phases[1]);
    expect(currentPhase([], at('2026-03-02T00:00:00Z'))).toBeUndefined();
  });

  it('prefers the earlier position when phases overlap, and does not reorder its input', () => {
    const overlapping = [
      phase('voting', 2, '2026-03-01T00:00:00Z', '2026-03-10T00:00:00Z'),
      phase('debate', 1, '2026-03-01T00:00:00Z', '2026-03-10T00:00:00Z'),
    ];
    expect(currentPhase(overlapping, at('2026-03-02T00:00:00Z'))?.kind).toBe('debate');
    expect(overlapping.map((p) => p.position)).toEqual([2, 1]);
  });
});

describe('what a phase allows', () => {
  const kinds: PhaseKind[] = ['information', 'proposals', 'debate', 'voting', 'results', 'follow_up'];
  const of = (kind: PhaseKind, accepts = false) => phase(kind, 1, '2026-01-01', '2026-02-01', accepts);

  it('accepts proposals in a proposals phase, or in any phase that says so', () => {
    expect(kinds.filter((k) => acceptsProposals(of(k)))).toEqual(['proposals']);
    expect(kinds.filter((k) => acceptsProposals(of(k, true)))).toEqual(kinds);
    expect(acceptsProposals(undefined)).toBe(false);
  });

  it('accepts supports only in a voting phase, whatever acceptsProposals says', () => {
    expect(kinds.filter((k) => acceptsSupports(of(k)))).toEqual(['voting']);
    expect(kinds.filter((k) => acceptsSupports(of(k, true)))).toEqual(['voting']);
    expect(acceptsSupports(undefined)).toBe(false);
  });
});
