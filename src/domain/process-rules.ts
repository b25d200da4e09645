// Shared by the process use cases staff run (create-process, update-process, set-process-phases,
// set-process-categories, advance-process-phase). Not a use case: the checks of a process's fields, pure, so
// the admin API's schemas and the use cases agree on every limit, and the staff check they all begin with.
import type { ModerationMode, PhaseKind } from '../generated/prisma/enums.ts';
import { PhaseKind as PHASE_KINDS } from '../generated/prisma/enums.ts';
import type { DomainDeps, Locale } from './deps.ts';
import { LOCALES } from './deps.ts';

/** Slugs go into URLs and Telegram deep links (`process_<slug>`: 64 characters at most in all). */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const MIN_SLUG_LENGTH = 2;
export const MAX_SLUG_LENGTH = 56;
export const MAX_PROCESS_TITLE = 150;
/** The process page is one chat message with the phases under it (Telegram: 4,096 characters). */
export const MAX_PROCESS_DESCRIPTION = 3000;
export const MAX_SUPPORTS_PER_PARTICIPANT = 100;
export const MAX_REPORT_THRESHOLD = 1000;
export const MAX_PHASES = 20;
export const MAX_CATEGORIES = 30;
/** Category keys are stable identifiers (lowercase letters, digits, `-` or `_` between them). */
export const CATEGORY_KEY_PATTERN = /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/;
export const MAX_CATEGORY_KEY = 40;
/** Labels are chat buttons. */
export const MAX_CATEGORY_LABEL = 60;
export const PHASE_KIND_VALUES = Object.values(PHASE_KINDS) as readonly PhaseKind[];

/** Texts per language as given: Spanish required (everyone's fallback), English optional. */
export type LocalizedInput = Partial<Record<Locale, string>>;

export interface PhaseInput {
  kind: PhaseKind;
  startsAt: Date;
  endsAt: Date;
  /** Proposals are accepted in this phase even if it is not a `proposals` phase (Decidim's "creation enabled"). */
  acceptsProposals?: boolean;
}

export interface CategoryInput {
  key: string;
  label: LocalizedInput;
}

/** Refusals name the entry they are about by `index` (0-based, as sent). */
export type PhaseListProblem = (
  | { reason: 'too-many-phases' }
  | { reason: 'invalid-phase-kind'; index: number }
  | { reason: 'phase-ends-before-it-starts'; index: number }
  | { reason: 'phases-out-of-order'; index: number }
  | { reason: 'phases-overlap'; index: number }
) & { ok: false };

export type CategoryListProblem = (
  | { reason: 'no-categories' | 'too-many-categories' }
  | { reason: 'invalid-category-key' | 'invalid-category-label' | 'duplicate-category-key'; index: number }
) & { ok: false };

export async function isActiveStaff(deps: Pick<DomainDeps, 'db'>, staffMemberId: string): Promise<boolean> {
  const staff = await deps.db.staffMember.findUnique({
    where: { id: staffMemberId },
    select: { role: true, disabledAt: true },
  });
  return !!staff && !staff.disabledAt && (staff.role === 'staff' || staff.role === 'admin');
}

export function isValidSlug(slug: string): boolean {
  return slug.length >= MIN_SLUG_LENGTH && slug.length <= MAX_SLUG_LENGTH && SLUG_PATTERN.test(slug);
}

/**
 * Texts trimmed, empty ones dropped; undefined when Spanish is missing or one is longer than `max`
 * characters (code points, as a person counts them).
 */
export function cleanTexts(texts: LocalizedInput, max: number): Partial<Record<Locale, string>> | undefined {
  const out: Partial<Record<Locale, string>> = {};
  for (const locale of LOCALES) {
    const text = texts[locale]?.trim();
    if (text) out[locale] = text;
  }
  if (!out.es || Object.values(out).some((t) => [...t].length > max)) return undefined;
  return out;
}

/**
 * An IANA time zone name the runtime knows (`Europe/Madrid`, `America/Argentina/Buenos_Aires`, `UTC`), with
 * its letters' case as the runtime writes it (`europe/madrid` → `Europe/Madrid`); a link the runtime
 * resolves to another name is kept as given. Undefined for anything else, offsets such as `+01:00`
 * included (a zone also knows its summer time).
 */
export function canonicalTimeZone(name: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/.test(name)) return undefined;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
  return resolved.toLowerCase() === name.toLowerCase() ? resolved : name;
}

export function isValidSupportsPerParticipant(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= MAX_SUPPORTS_PER_PARTICIPANT;
}

export function isValidReportThreshold(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= MAX_REPORT_THRESHOLD;
}

/**
 * The phases as a list must be in order and must not overlap: each starts before it ends, and no earlier
 * than the previous one ends (gaps are allowed: between phases none is current). An empty list is valid.
 */
export function checkPhaseList(phases: readonly PhaseInput[]): PhaseListProblem | undefined {
  if (phases.length > MAX_PHASES) return { ok: false, reason: 'too-many-phases' };
  for (const [index, p] of phases.entries()) {
    if (!PHASE_KIND_VALUES.includes(p.kind)) return { ok: false, reason: 'invalid-phase-kind', index };
    if (!(p.startsAt.getTime() < p.endsAt.getTime()))
      return { ok: false, reason: 'phase-ends-before-it-starts', index };
    const previous = phases[index - 1];
    if (!previous) continue;
    if (p.startsAt.getTime() < previous.startsAt.getTime())
      return { ok: false, reason: 'phases-out-of-order', index };
    if (p.startsAt.getTime() < previous.endsAt.getTime())
      return { ok: false, reason: 'phases-overlap', index };
  }
  return undefined;
}

/** Categories in order: at least one (a proposal needs one), keys well formed and unique, a Spanish label. */
export function checkCategoryList(
  categories: readonly CategoryInput[],
): { ok: true; categories: { key: string; label: Partial<Record<Locale, string>> }[] } | CategoryListProblem {
  if (categories.length === 0) return { ok: false, reason: 'no-categories' };
  if (categories.length > MAX_CATEGORIES) return { ok: false, reason: 'too-many-categories' };
  const seen = new Set<string>();
  const out: { key: string; label: Partial<Record<Locale, string>> }[] = [];
  for (const [index, c] of categories.entries()) {
    if (c.key.length > MAX_CATEGORY_KEY || !CATEGORY_KEY_PATTERN.test(c.key))
      return { ok: false, reason: 'invalid-category-key', index };
    if (seen.has(c.key)) return { ok: false, reason: 'duplicate-category-key', index };
    seen.add(c.key);
    const label = cleanTexts(c.label, MAX_CATEGORY_LABEL);
    if (!label) return { ok: false, reason: 'invalid-category-label', index };
    out.push({ key: c.key, label });
  }
  return { ok: true, categories: out };
}

/** A process's own fields (everything but its phases and categories), each optional. */
export interface ProcessFieldsInput {
  slug?: string;
  title?: LocalizedInput;
  description?: LocalizedInput;
  timeZone?: string;
  supportsPerParticipant?: number;
  moderationMode?: ModerationMode;
  reportThreshold?: number;
}

export interface ProcessFields {
  slug?: string;
  title?: Partial<Record<Locale, string>>;
  description?: Partial<Record<Locale, string>>;
  timeZone?: string;
  supportsPerParticipant?: number;
  moderationMode?: ModerationMode;
  reportThreshold?: number;
}

export type ProcessFieldsProblem = {
  ok: false;
  reason:
    | 'invalid-slug'
    | 'invalid-title'
    | 'invalid-description'
    | 'invalid-time-zone'
    | 'invalid-supports-per-participant'
    | 'invalid-moderation-mode'
    | 'invalid-report-threshold';
};

/** Checks the fields given and returns them cleaned (texts trimmed, the time zone in canonical spelling). */
export function checkProcessFields(
  input: ProcessFieldsInput,
): { ok: true; fields: ProcessFields } | ProcessFieldsProblem {
  const fields: ProcessFields = {};
  if (input.slug !== undefined) {
    if (!isValidSlug(input.slug)) return { ok: false, reason: 'invalid-slug' };
    fields.slug = input.slug;
  }
  if (input.title !== undefined) {
    fields.title = cleanTexts(input.title, MAX_PROCESS_TITLE);
    if (!fields.title) return { ok: false, reason: 'invalid-title' };
  }
  if (input.description !== undefined) {
    fields.description = cleanTexts(input.description, MAX_PROCESS_DESCRIPTION);
    if (!fields.description) return { ok: false, reason: 'invalid-description' };
  }
  if (input.timeZone !== undefined) {
    fields.timeZone = canonicalTimeZone(input.timeZone);
    if (!fields.timeZone) return { ok: false, reason: 'invalid-time-zone' };
  }
  if (input.supportsPerParticipant !== undefined) {
    if (!isValidSupportsPerParticipant(input.supportsPerParticipant))
      return { ok: false, reason: 'invalid-supports-per-participant' };
    fields.supportsPerParticipant = input.supportsPerParticipant;
  }
  if (input.moderationMode !== undefined) {
    if (input.moderationMode !== 'pre' && input.moderationMode !== 'post')
      return { ok: false, reason: 'invalid-moderation-mode' };
    fields.moderationMode = input.moderationMode;
  }
  if (input.reportThreshold !== undefined) {
    if (!isValidReportThreshold(input.reportThreshold))
      return { ok: false, reason: 'invalid-report-threshold' };
    fields.reportThreshold = input.reportThreshold;
  }
  return { ok: true, fields };
}
