import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getProcess } from '../../src/domain/get-process.ts';
import { createProcess } from '../support/fixtures.ts';
import { createDomainTest, DAY, type DomainTest } from './harness.ts';

let t: DomainTest;
beforeAll(async () => {
  t = await createDomainTest();
});
afterAll(() => t?.cleanup());

describe('getProcess', () => {
  it('shows a process by id or slug in the asked language, with its current phase and rules', async () => {
    const p = await createProcess(t.db, {
      phase: 'proposals',
      supportsPerParticipant: 4,
      title: 'Atiéndeme',
    });
    const byId = await getProcess(t.deps, { processId: p.id, locale: 'en' });
    expect(byId).toMatchObject({
      id: p.id,
      slug: p.slug,
      title: `Process ${p.slug}`,
      description: 'Test description',
      timeZone: 'Europe/Madrid',
      currentPhase: 'proposals',
      acceptsProposals: true,
      acceptsSupports: false,
      supportsPerParticipant: 4,
      categories: [
        { id: p.categories[0]!.id, key: 'movilidad', label: 'Mobility' },
        { id: p.categories[1]!.id, key: 'atencion', label: 'Service' },
      ],
    });
    expect(byId?.phases.map((ph) => [ph.kind, ph.current])).toEqual([
      ['proposals', true],
      ['results', false],
    ]);
    expect(byId?.currentPhaseEndsAt).toEqual(byId?.phases[0]?.endsAt);
    expect(await getProcess(t.deps, { slug: p.slug, locale: 'es' })).toMatchObject({
      id: p.id,
      title: 'Atiéndeme',
      description: 'Descripción de prueba',
    });
  });

  it('follows the clock: voting, then results, then nothing', async () => {
    const p = await createProcess(t.db, { phase: 'voting' });
    const at = (offset: number) =>
      getProcess(t.at(new Date(Date.now() + offset)), { processId: p.id, locale: 'es' });
    expect(await at(0)).toMatchObject({
      currentPhase: 'voting',
      acceptsSupports: true,
      acceptsProposals: false,
    });
    expect(await at(31 * DAY)).toMatchObject({ currentPhase: 'results', acceptsSupports: false });
    const after = await at(61 * DAY);
    expect(after).toMatchObject({ acceptsSupports: false, acceptsProposals: false });
    expect(after?.currentPhase).toBeUndefined();
    expect(after?.currentPhaseEndsAt).toBeUndefined();
    expect(after?.phases.every((ph) => !ph.current)).toBe(true);
  });

  it('finds nothing for an unknown id or slug, or without either', async () => {
    expect(await getProcess(t.deps, { processId: 2_000_000_000, locale: 'es' })).toBeUndefined();
    expect(await getProcess(t.deps, { slug: 'no-such-process', locale: 'es' })).toBeUndefined();
    expect(await getProcess(t.deps, { locale: 'es' })).toBeUndefined();
  });
});
