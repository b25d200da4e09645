import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getProcessAdminView } from '../../src/domain/get-process-admin-view.ts';
import { createProposal, createStaffMember } from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';
import { fourPhases, newProcess, phasesOf } from './process-support.ts';

let t: DomainTest;
let staff: { id: string };
beforeAll(async () => {
  t = await createDomainTest();
  staff = await createStaffMember(t.db, { role: 'staff' });
});
afterAll(() => t?.cleanup());

const NOW = new Date('2027-03-01T10:00:00Z');

describe('getProcessAdminView', () => {
  it('shows every field in every language, the phases with the current one and their announcements, the categories with their proposals', async () => {
    const phases = fourPhases(NOW);
    const id = await newProcess(t.at(NOW), staff.id, phases);
    const stored = await phasesOf(t.db, id);
    const category = await t.db.category.findFirstOrThrow({ where: { processId: id } });
    await createProposal(t.db, { id, slug: '', categories: [] }, { categoryId: category.id });
    const view = await getProcessAdminView(t.at(NOW), { processId: id });
    expect(view).toMatchObject({
      id,
      title: { es: 'Presupuestos participativos', en: 'Participatory budget' },
      description: { es: 'Decide en qué se invierte.' },
      timeZone: 'Europe/Madrid',
      supportsPerParticipant: 3,
      moderationMode: 'pre',
      reportThreshold: 3,
      currentPhase: 'proposals',
      categories: [
        {
          id: category.id,
          key: 'movilidad',
          label: { es: 'Movilidad', en: 'Mobility' },
          position: 1,
          proposals: 1,
        },
      ],
    });
    expect(view!.phases.map((p) => [p.position, p.kind, p.current, p.announcement])).toEqual([
      [1, 'information', false, null],
      [2, 'proposals', true, null],
      [
        3,
        'debate',
        false,
        { id: stored[2]!.announcementId, status: 'scheduled', scheduledAt: phases[2]!.startsAt },
      ],
      [
        4,
        'voting',
        false,
        { id: stored[3]!.announcementId, status: 'scheduled', scheduledAt: phases[3]!.startsAt },
      ],
    ]);
    // Between phases, none is current.
    const later = await getProcessAdminView(t.at(new Date(phases[1]!.endsAt.getTime() + 1000)), {
      processId: id,
    });
    expect(later!.currentPhase).toBeNull();
  });

  it('is undefined for a process that does not exist or an id that is not one', async () => {
    expect(await getProcessAdminView(t.deps, { processId: 2_000_000_000 })).toBeUndefined();
    expect(await getProcessAdminView(t.deps, { processId: -3 })).toBeUndefined();
  });
});
