// Staff change a process's own fields, any of them: slug (unique, URL-safe; links with the old slug stop
// working), title, description, time zone, supports per participant, moderation mode, report threshold,
// whether it is binding (requiresVerification: supporting needs a verification code). Whether it is binding
// cannot change once the process has supports (`supports-exist`): turned on, the supports already given
// would count unverified in a binding result; turned off, the result would no longer be a binding one.
// Phases and categories are replaced as whole lists by set-process-phases and set-process-categories. Only
// what differs is written and audited (before/after of those fields); nothing different, nothing written.
// The rules apply from now on: a new moderation mode or threshold to what is submitted or reported next, a
// new supports limit to the next support (supports already given stay). A new time zone re-writes the
// announcements of phases not started yet (their texts carry dates in it).
//
// Texts per language (title, description) are merged into the stored ones, as a JSON merge patch (RFC
// 7386) merges objects: a language given gets that text, `null` removes it, a language not named keeps its
// own. Spanish, everyone's fallback, cannot be removed (`invalid-title` / `invalid-description`, as when it
// is missing on create). The merge reads the stored texts under the process's lock (localized-text.ts, as
// events and commitments merge theirs).
import type { ModerationMode } from '../generated/prisma/enums.ts';
import type { DomainDeps } from './deps.ts';
import { isDbId } from './ids.ts';
import { cleanTextsPatch, mergeTexts, type LocalizedPatch } from './localized-text.ts';
import { audit } from './moderation-cases.ts';
import {
  enqueueAnnouncements,
  lockProcess,
  replacePhases,
  type AnnouncementToEnqueue,
  type PhaseAnnouncementTexts,
} from './process-phase-announcements.ts';
import {
  checkProcessFields,
  isActiveStaff,
  MAX_PROCESS_DESCRIPTION,
  MAX_PROCESS_TITLE,
  type ProcessFields,
  type ProcessFieldsProblem,
} from './process-rules.ts';
import { isUniqueViolation } from './prisma-errors.ts';

export type UpdateProcessResult =
  | {
      ok: true;
      /** The names of the fields that changed (empty: nothing did). */
      changed: (keyof ProcessFields | 'requiresVerification')[];
      announcements: { created: number[]; cancelled: number[] };
    }
  | { ok: false; reason: 'not-allowed' | 'not-found' | 'slug-taken' | 'supports-exist' }
  | ProcessFieldsProblem;

export async function updateProcess(
  deps: Pick<DomainDeps, 'db' | 'now' | 'queues' | 'logger'>,
  input: {
    staffMemberId: string;
    processId: number;
    slug?: string;
    title?: LocalizedPatch;
    description?: LocalizedPatch;
    timeZone?: string;
    supportsPerParticipant?: number;
    moderationMode?: ModerationMode;
    reportThreshold?: number;
    requiresVerification?: boolean;
    announce: PhaseAnnouncementTexts;
    sourceIp?: string;
  },
): Promise<UpdateProcessResult> {
  if (!(await isActiveStaff(deps, input.staffMemberId))) return { ok: false, reason: 'not-allowed' };
  if (!isDbId(input.processId)) return { ok: false, reason: 'not-found' };
  const { title: titleInput, description: descriptionInput, ...fields } = input;
  const checked = checkProcessFields(fields);
  if (!checked.ok) return checked;
  const title = titleInput && cleanTextsPatch(titleInput, MAX_PROCESS_TITLE);
  if (title && !title.ok) return { ok: false, reason: 'invalid-title' };
  const description = descriptionInput && cleanTextsPatch(descriptionInput, MAX_PROCESS_DESCRIPTION);
  if (description && !description.ok) return { ok: false, reason: 'invalid-description' };
  const now = deps.now();
  const actor = `staff:${input.staffMemberId}`;
  let result;
  try {
    result = await deps.db.$transaction(async (tx) => {
      const locked = await lockProcess(tx, input.processId);
      if (!locked) return { ok: false, reason: 'not-found' } as const;
      const current = await tx.process.findUniqueOrThrow({
        where: { id: input.processId },
        select: {
          slug: true,
          title: true,
          description: true,
          timeZone: true,
          supportsPerParticipant: true,
          moderationMode: true,
          reportThreshold: true,
          requiresVerification: true,
        },
      });
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};
      // In the fields' own order (slug, title, description, …), as `changed` names them.
      const { slug, ...others } = checked.fields;
      const given: Record<string, unknown> = slug === undefined ? {} : { slug };
      if (title?.ok) given.title = mergeTexts(current.title, title.patch);
      if (description?.ok) given.description = mergeTexts(current.description, description.patch);
      Object.assign(given, others);
      if (input.requiresVerification !== undefined) given.requiresVerification = input.requiresVerification;
      for (const [key, value] of Object.entries(given) as [keyof typeof current, unknown][]) {
        if (stableJson(current[key]) === stableJson(value)) continue;
        before[key] = current[key];
        after[key] = value;
      }
      const changed = Object.keys(after) as (keyof ProcessFields | 'requiresVerification')[];
      // A support given at this very moment is not seen (support-proposal does not lock the process row);
      // a process is made binding before its voting opens, when there is none.
      if (
        'requiresVerification' in after &&
        (await tx.support.findFirst({
          where: { proposal: { processId: input.processId } },
          select: { id: true },
        }))
      )
        return { ok: false, reason: 'supports-exist' } as const;
      let announcements: { created: AnnouncementToEnqueue[]; cancelled: number[] } = {
        created: [],
        cancelled: [],
      };
      if (changed.length === 0) return { ok: true, changed, announcements } as const;
      await tx.process.update({ where: { id: input.processId }, data: after });
      if (after.timeZone !== undefined)
        announcements = await replacePhases(
          tx,
          {
            processId: input.processId,
            timeZone: after.timeZone as string,
            now,
            actor,
            sourceIp: input.sourceIp,
            announce: input.announce,
          },
          locked.phases,
          locked.phases,
        );
      await audit(tx, {
        actor,
        action: 'process.update',
        target: { kind: 'process', id: input.processId },
        before,
        after,
        sourceIp: input.sourceIp,
        at: now,
      });
      return { ok: true, changed, announcements } as const;
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: 'slug-taken' };
    throw error;
  }
  if (!result.ok) return result;
  await enqueueAnnouncements(deps, result.announcements.created);
  return {
    ok: true,
    changed: result.changed,
    announcements: {
      created: result.announcements.created.map((a) => a.broadcastId),
      cancelled: result.announcements.cancelled,
    },
  };
}

/** JSON with object keys sorted (jsonb returns keys in its own order). */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
