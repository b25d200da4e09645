// Staff (active admins and staff) create a participatory process: a unique, URL-safe slug; title and
// description per language (Spanish required); an IANA time zone; the supports each participant may give;
// pre- or post-moderation; the report threshold; whether it is binding (requiresVerification: only
// participants who redeemed one of its codes may support); its categories (at least one: a proposal needs one) and
// its phases (in order, not overlapping; any dates, so a process already under way can be entered). Every
// phase that has not started gets its announcement to subscribers, scheduled for its start
// (process-phase-announcements.ts). Audited with the whole process as created.
import type { ModerationMode } from '../generated/prisma/enums.ts';
import type { DomainDeps } from './deps.ts';
import { audit } from './moderation-cases.ts';
import {
  enqueueAnnouncements,
  phaseSummary,
  replacePhases,
  type PhaseAnnouncementTexts,
} from './process-phase-announcements.ts';
import {
  checkCategoryList,
  checkPhaseList,
  checkProcessFields,
  isActiveStaff,
  type CategoryInput,
  type CategoryListProblem,
  type LocalizedInput,
  type PhaseInput,
  type PhaseListProblem,
  type ProcessFieldsProblem,
} from './process-rules.ts';
import { isUniqueViolation } from './prisma-errors.ts';

export const DEFAULT_TIME_ZONE = 'Europe/Madrid';

export type CreateProcessResult =
  | { ok: true; process: { id: number; slug: string }; announcements: number[] }
  | { ok: false; reason: 'not-allowed' | 'slug-taken' }
  | ProcessFieldsProblem
  | CategoryListProblem
  | PhaseListProblem;

export async function createProcess(
  deps: Pick<DomainDeps, 'db' | 'now' | 'queues' | 'logger'>,
  input: {
    staffMemberId: string;
    slug: string;
    title: LocalizedInput;
    description: LocalizedInput;
    /** Default Europe/Madrid. */
    timeZone?: string;
    /** Default 3. */
    supportsPerParticipant?: number;
    /** Default `pre`. */
    moderationMode?: ModerationMode;
    /** Default 3. */
    reportThreshold?: number;
    /** Default false. Binding: supporting needs a verification code (import-verification-codes). */
    requiresVerification?: boolean;
    categories: CategoryInput[];
    /** Default none (set later with set-process-phases). */
    phases?: PhaseInput[];
    announce: PhaseAnnouncementTexts;
    sourceIp?: string;
  },
): Promise<CreateProcessResult> {
  if (!(await isActiveStaff(deps, input.staffMemberId))) return { ok: false, reason: 'not-allowed' };
  const checked = checkProcessFields({
    slug: input.slug,
    title: input.title,
    description: input.description,
    timeZone: input.timeZone ?? DEFAULT_TIME_ZONE,
    supportsPerParticipant: input.supportsPerParticipant ?? 3,
    moderationMode: input.moderationMode ?? 'pre',
    reportThreshold: input.reportThreshold ?? 3,
  });
  if (!checked.ok) return checked;
  const categories = checkCategoryList(input.categories);
  if (!categories.ok) return categories;
  const phases = input.phases ?? [];
  const phaseProblem = checkPhaseList(phases);
  if (phaseProblem) return phaseProblem;
  const f = {
    ...(checked.fields as Required<typeof checked.fields>),
    requiresVerification: input.requiresVerification ?? false,
  };
  const now = deps.now();
  const actor = `staff:${input.staffMemberId}`;

  let outcome;
  try {
    outcome = await deps.db.$transaction(async (tx) => {
      const process = await tx.process.create({
        data: {
          slug: f.slug,
          title: f.title,
          description: f.description,
          timeZone: f.timeZone,
          supportsPerParticipant: f.supportsPerParticipant,
          moderationMode: f.moderationMode,
          reportThreshold: f.reportThreshold,
          requiresVerification: f.requiresVerification,
          createdAt: now,
          categories: {
            create: categories.categories.map((c, i) => ({ key: c.key, label: c.label, position: i + 1 })),
          },
        },
        select: { id: true },
      });
      const written = await replacePhases(
        tx,
        {
          processId: process.id,
          timeZone: f.timeZone,
          now,
          actor,
          sourceIp: input.sourceIp,
          announce: input.announce,
        },
        [],
        phases,
      );
      await audit(tx, {
        actor,
        action: 'process.create',
        target: { kind: 'process', id: process.id },
        after: { ...f, categories: categories.categories, phases: phaseSummary(written.phases) },
        sourceIp: input.sourceIp,
        at: now,
      });
      return { id: process.id, written };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: 'slug-taken' };
    throw error;
  }
  await enqueueAnnouncements(deps, outcome.written.created);
  return {
    ok: true,
    process: { id: outcome.id, slug: f.slug },
    announcements: outcome.written.created.map((a) => a.broadcastId),
  };
}
