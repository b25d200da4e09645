// Shared by the commitment use cases (create, update, list, get, the notices and "what happened to my
// proposal"): limits, the one view of a commitment every caller returns, the rule tying status to progress,
// and who may manage commitments. Not a use case.
//
// Status and progress go together: progress 100 ⇔ done. A change that names only one of them moves the
// other along (progress 100 → done; done → 100; progress above 0 on a planned one → in progress; progress
// below 100 on a done one → in progress); naming both inconsistently is refused. Cancelled keeps its
// progress (below 100).
import type { Prisma } from '../generated/prisma/client.ts';
import type { CommitmentStatus } from '../generated/prisma/enums.ts';
import type { DomainDeps } from './deps.ts';
import { isDbId } from './ids.ts';
import { titleKey } from './localized-text.ts';

export const COMMITMENT_STATUSES = [
  'planned',
  'in_progress',
  'done',
  'cancelled',
] as const satisfies readonly CommitmentStatus[];

export const COMMITMENT_LIMITS = {
  title: 200,
  description: 4000,
  department: 120,
  evidence: 2000,
  note: 2000,
  proposals: 50,
} as const;

/** Texts per language as staff give them: Spanish required, English optional. */
export interface CommitmentTexts {
  es: string;
  en?: string;
}

export interface CommitmentUpdateView {
  id: number;
  at: Date;
  status: CommitmentStatus;
  progress: number;
  note: string | null;
  evidence: string | null;
  staffMemberId: string | null;
}

export interface CommitmentView {
  id: number;
  processId: number;
  title: CommitmentTexts;
  description: CommitmentTexts | null;
  department: string;
  /** A calendar date, `YYYY-MM-DD`. */
  dueDate: string | null;
  status: CommitmentStatus;
  progress: number;
  evidence: string | null;
  createdAt: Date;
  updatedAt: Date;
  proposalIds: number[];
  latestUpdate: CommitmentUpdateView | null;
}

export const commitmentUpdateSelect = {
  id: true,
  createdAt: true,
  status: true,
  progress: true,
  note: true,
  evidence: true,
  staffMemberId: true,
} as const satisfies Prisma.CommitmentUpdateSelect;

export const commitmentViewSelect = {
  id: true,
  processId: true,
  title: true,
  description: true,
  department: true,
  dueDate: true,
  status: true,
  progress: true,
  evidence: true,
  createdAt: true,
  updatedAt: true,
  proposals: { select: { proposalId: true }, orderBy: { proposalId: 'asc' } },
  updates: { select: commitmentUpdateSelect, orderBy: { id: 'desc' }, take: 1 },
} as const satisfies Prisma.CommitmentSelect;

type UpdateRow = Prisma.CommitmentUpdateGetPayload<{ select: typeof commitmentUpdateSelect }>;
type ViewRow = Prisma.CommitmentGetPayload<{ select: typeof commitmentViewSelect }>;

export function toUpdateView(u: UpdateRow): CommitmentUpdateView {
  return {
    id: Number(u.id),
    at: u.createdAt,
    status: u.status,
    progress: u.progress,
    note: u.note,
    evidence: u.evidence,
    staffMemberId: u.staffMemberId,
  };
}

export function toCommitmentView(c: ViewRow): CommitmentView {
  return {
    id: c.id,
    processId: c.processId,
    title: toTexts(c.title) ?? { es: '' },
    description: toTexts(c.description),
    department: c.department,
    dueDate: formatDueDate(c.dueDate),
    status: c.status,
    progress: c.progress,
    evidence: c.evidence,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    proposalIds: c.proposals.map((p) => p.proposalId),
    latestUpdate: c.updates[0] ? toUpdateView(c.updates[0]) : null,
  };
}

function toTexts(value: unknown): CommitmentTexts | null {
  if (!value || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  if (typeof v.es !== 'string') return null;
  return typeof v.en === 'string' ? { es: v.es, en: v.en } : { es: v.es };
}

/** `YYYY-MM-DD` (a real calendar date) → midnight UTC; undefined when it is not one. */
export function parseDueDate(value: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return undefined;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === value && Number(m[1]) >= 2000 ? date : undefined;
}

export function formatDueDate(date: Date | null): string | null {
  return date ? date.toISOString().slice(0, 10) : null;
}

const length = (s: string) => [...s].length;

/**
 * Trims and checks texts; returns the name of the first bad field (`title.es`, `department`…), or the
 * cleaned texts.
 */
export function cleanTexts(
  input: { title?: CommitmentTexts; description?: CommitmentTexts | null },
  limits = COMMITMENT_LIMITS,
):
  { ok: true; title?: CommitmentTexts; description?: CommitmentTexts | null } | { ok: false; field: string } {
  const clean = (
    texts: CommitmentTexts,
    max: number,
    name: string,
  ): { field: string } | { texts: CommitmentTexts } => {
    const es = texts.es.trim();
    const en = texts.en?.trim() || undefined;
    if (es === '' || length(es) > max) return { field: `${name}.es` };
    if (en !== undefined && length(en) > max) return { field: `${name}.en` };
    return { texts: en === undefined ? { es } : { es, en } };
  };
  let title: CommitmentTexts | undefined;
  let description: CommitmentTexts | null | undefined;
  if (input.title) {
    const r = clean(input.title, limits.title, 'title');
    if ('field' in r) return { ok: false, field: r.field };
    title = r.texts;
  }
  if (input.description) {
    const r = clean(input.description, limits.description, 'description');
    if ('field' in r) return { ok: false, field: r.field };
    description = r.texts;
  } else if (input.description === null) description = null;
  return { ok: true, title, description };
}

/** A free text of at most `max` characters, trimmed; empty is null. Undefined when too long. */
export function cleanText(value: string | null, max: number): string | null | undefined {
  const text = value?.trim() ?? '';
  if (text === '') return null;
  return length(text) > max ? undefined : text;
}

/** The status and progress after a change (see the rule above), or undefined when they contradict. */
export function settleStatusProgress(
  current: { status: CommitmentStatus; progress: number },
  change: { status?: CommitmentStatus; progress?: number },
): { status: CommitmentStatus; progress: number } | undefined {
  let status = change.status;
  let progress = change.progress;
  if (status === undefined && progress !== undefined) {
    if (progress === 100) status = 'done';
    else if (current.status === 'done') status = 'in_progress';
    else if (current.status === 'planned' && progress > 0) status = 'in_progress';
    else status = current.status;
  }
  if (progress === undefined && status !== undefined) {
    // Leaving done needs the progress it is left at (none is guessed): refused below without it.
    progress = status === 'done' ? 100 : current.progress;
  }
  status ??= current.status;
  progress ??= current.progress;
  if ((status === 'done') !== (progress === 100)) return undefined;
  return { status, progress };
}

/** Staff and admins manage commitments (not moderators, not disabled accounts). */
export async function mayManageCommitments(
  deps: Pick<DomainDeps, 'db'>,
  staffMemberId: string,
): Promise<boolean> {
  const staff = await deps.db.staffMember.findUnique({
    where: { id: staffMemberId },
    select: { role: true, disabledAt: true },
  });
  return !!staff && !staff.disabledAt && (staff.role === 'staff' || staff.role === 'admin');
}

/**
 * Of these proposal ids, those that are not `selected` proposals of the process (to refuse a link). Locks
 * the selected ones against a status change until the transaction ends.
 */
export async function unselectedProposals(
  tx: Pick<DomainDeps['db'], '$queryRaw'>,
  processId: number,
  proposalIds: number[],
): Promise<number[]> {
  const valid = proposalIds.filter(isDbId);
  if (valid.length === 0) return proposalIds;
  const rows = await tx.$queryRaw<{ id: number }[]>`
    SELECT id FROM "Proposal"
    WHERE id = ANY(${valid}::int[]) AND "processId" = ${processId} AND status = 'selected'
    FOR SHARE`;
  const ok = new Set(rows.map((r) => r.id));
  return proposalIds.filter((id) => !ok.has(id));
}

/**
 * The id of a commitment of the process, other than `exceptId`, whose Spanish title is this one (compared
 * as `titleKey`: in any case), if there is one. Creations and renamings call it holding the process row's
 * lock (FOR NO KEY UPDATE), so they run one after another and each sees the others' titles.
 */
export async function commitmentWithTitle(
  tx: Pick<DomainDeps['db'], '$queryRaw'>,
  processId: number,
  title: string,
  exceptId?: number,
): Promise<number | undefined> {
  const rows = await tx.$queryRaw<{ id: number; es: string | null }[]>`
    SELECT id, title->>'es' AS es FROM "Commitment" WHERE "processId" = ${processId} ORDER BY id`;
  const key = titleKey(title);
  return rows.find((r) => r.id !== exceptId && r.es !== null && titleKey(r.es) === key)?.id;
}
