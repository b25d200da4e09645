// Shared by the use cases that write a process's phases (create-process, update-process, set-process-phases,
// advance-process-phase). Not a use case: it replaces the phase rows inside the caller's transaction and
// keeps each phase's *announcement* in line with it.
//
// An announcement is an ordinary Broadcast to the process's subscribers (createdById null: the system),
// scheduled for the phase's `startsAt`, so everything the broadcast machinery does (audience with the
// updates consent, languages, channels, rate limits, web chat keeping, unsubscribes) applies unchanged.
// Its texts are written by a port the caller passes in (`PhaseAnnouncementTexts`, implemented where i18n
// lives): the domain knows no catalog. They are stored when the broadcast is created, like staff texts; the
// process's title is not part of them (the message header shows it, read when sending), so renaming a
// process needs no re-writing, and everything the texts do depend on (the phase, the time zone) goes
// through here whenever it changes.
//
// The rules, for the phases as they are after the change:
//   - a phase that has not started (startsAt > now) has a scheduled announcement for its startsAt. One it
//     had already is kept when its time and texts are still right (also when staff cancelled it by hand:
//     that choice is respected); otherwise a new one is created;
//   - a phase that has started keeps the announcement it had (it went out, or is going out) — unless the
//     phase is over by now and its announcement has not gone out yet (still 'scheduled': held by quiet
//     hours, or its sender was down): then it is cancelled, since "phase X begins" must not reach people
//     after X ended (staff advancing past it at 08:00, before its 09:00 sending). The sender makes the same
//     check when it is about to start one (cancelEndedPhaseAnnouncement), for a phase that ends on its own;
//   - a phase started now by advance-process-phase (`announceNow`) gets a new announcement sent at once;
//   - every previous announcement no longer attached to a phase is cancelled if it is still scheduled.
// Creating and cancelling happen in the caller's transaction, with the phase change, so an announcement
// never outlives the phase it announced. (cancel-broadcast runs its own transaction, so it cannot be used
// here; a scheduled broadcast has no ledger rows yet, so its cancellation is the status change and the same
// `broadcast.cancel` audit row.) The caller enqueues the new ones after commit (enqueueAnnouncements).
//
// Quiet hours: an announcement is due at its phase's start, often midnight, a time nobody chose for pinging
// people. So the sender (src/queues/broadcasts/handler.ts) does not start one in QUIET_HOURS, in the
// process's time zone, nor hands more of one over once they begin: it goes when they end. Its scheduledAt
// stays the phase's start (when it became due). Staff's own broadcasts go when staff said.
// `phaseAnnouncementTimeZone` tells the sender which broadcasts are announcements.
import type { PhaseKind } from '../generated/prisma/enums.ts';
import type { DomainDeps, Locale } from './deps.ts';
import { LOCALES } from './deps.ts';
import { isDbId } from './ids.ts';
import { audit, type Tx } from './moderation-cases.ts';
import type { PhaseInput } from './process-rules.ts';

/** The texts of a phase's announcement, per language (Spanish required). Implemented outside the domain. */
export type PhaseAnnouncementTexts = (phase: {
  kind: PhaseKind;
  startsAt: Date;
  endsAt: Date;
  acceptsProposals: boolean;
  /** The process's time zone, to write dates in. */
  timeZone: string;
}) => { es: string; en?: string };

export interface StoredPhase {
  position: number;
  kind: PhaseKind;
  startsAt: Date;
  endsAt: Date;
  acceptsProposals: boolean;
  announcementId: number | null;
}

export interface PhaseWrite extends PhaseInput {
  /** The announcement a started phase keeps (ignored for a phase that has not started). */
  announcementId?: number | null;
  /** Started now by advance-process-phase: announce it at once. */
  announceNow?: boolean;
}

export interface PhaseWriteContext {
  processId: number;
  timeZone: string;
  now: Date;
  /** `staff:<id>`: whose action created or cancelled the announcements (the audit's actor). */
  actor: string;
  sourceIp?: string;
  announce: PhaseAnnouncementTexts;
}

export interface AnnouncementToEnqueue {
  broadcastId: number;
  /** Undefined: now. */
  at?: Date;
}

export interface ReplacedPhases {
  phases: StoredPhase[];
  created: AnnouncementToEnqueue[];
  cancelled: number[];
}

/** The phases' columns an answer shows. */
export const storedPhaseSelect = {
  position: true,
  kind: true,
  startsAt: true,
  endsAt: true,
  acceptsProposals: true,
  announcementId: true,
} as const;

/**
 * Replaces the process's phases with `phases` (positions 1 … n, in the given order; the caller has checked
 * them) and brings the announcements in line. `previous` are the phases before the change.
 */
export async function replacePhases(
  tx: Tx,
  ctx: PhaseWriteContext,
  previous: readonly StoredPhase[],
  phases: readonly PhaseWrite[],
): Promise<ReplacedPhases> {
  const previousIds = previous.flatMap((p) => (p.announcementId === null ? [] : [p.announcementId]));
  const existing = new Map(
    (
      await tx.broadcast.findMany({
        where: { id: { in: previousIds }, processId: ctx.processId },
        select: { id: true, status: true, scheduledAt: true, texts: true },
      })
    ).map((b) => [b.id, b]),
  );
  const kept = new Set<number>();
  /** Not gone out, and its phase is over: cancelled below like an obsolete one. */
  const phaseEnded = new Set<number>();
  const created: AnnouncementToEnqueue[] = [];
  const rows: StoredPhase[] = [];
  for (const [index, phase] of phases.entries()) {
    const position = index + 1;
    const acceptsProposals = phase.acceptsProposals ?? false;
    const started = phase.startsAt.getTime() <= ctx.now.getTime();
    let announcementId: number | null;
    if (started && !phase.announceNow) {
      announcementId = phase.announcementId ?? null;
      const ended = phase.endsAt.getTime() <= ctx.now.getTime();
      if (announcementId !== null && ended && existing.get(announcementId)?.status === 'scheduled')
        phaseEnded.add(announcementId);
      else if (announcementId !== null) kept.add(announcementId);
    } else {
      const texts = checkedTexts(ctx.announce({ ...phase, acceptsProposals, timeZone: ctx.timeZone }));
      const at = phase.announceNow ? undefined : phase.startsAt;
      const reusable = at
        ? [...existing.values()].find(
            (b) => !kept.has(b.id) && b.scheduledAt?.getTime() === at.getTime() && sameTexts(b.texts, texts),
          )
        : undefined;
      if (reusable) {
        announcementId = reusable.id;
        kept.add(reusable.id);
      } else {
        announcementId = await createAnnouncement(tx, ctx, { position, kind: phase.kind, texts, at });
        created.push({ broadcastId: announcementId, at });
      }
    }
    rows.push({
      position,
      kind: phase.kind,
      startsAt: phase.startsAt,
      endsAt: phase.endsAt,
      acceptsProposals,
      announcementId,
    });
  }
  const cancelled: number[] = [];
  for (const b of existing.values()) {
    if (kept.has(b.id) || b.status !== 'scheduled') continue;
    // Conditional: if the sender started it meanwhile (its time came), it is left to go out.
    const done = await tx.broadcast.updateMany({
      where: { id: b.id, status: 'scheduled' },
      data: { status: 'cancelled', finishedAt: ctx.now },
    });
    if (done.count === 0) continue;
    cancelled.push(b.id);
    await audit(tx, {
      actor: ctx.actor,
      action: 'broadcast.cancel',
      target: { kind: 'broadcast', id: b.id },
      before: { status: 'scheduled' },
      after: { status: 'cancelled', skipped: 0 },
      reason: phaseEnded.has(b.id) ? 'phase-ended' : 'phase-announcement-obsolete',
      sourceIp: ctx.sourceIp,
      at: ctx.now,
    });
  }
  await tx.phase.deleteMany({ where: { processId: ctx.processId } });
  if (rows.length > 0)
    await tx.phase.createMany({ data: rows.map((r) => ({ ...r, processId: ctx.processId })) });
  return { phases: rows, created, cancelled };
}

/** Enqueues the announcements created, after commit. A failure is logged: requeue-broadcasts repairs it. */
export async function enqueueAnnouncements(
  deps: Pick<DomainDeps, 'queues' | 'logger'>,
  announcements: readonly AnnouncementToEnqueue[],
): Promise<void> {
  for (const a of announcements) {
    try {
      await deps.queues.startBroadcast(a.broadcastId, a.at);
    } catch (error) {
      deps.logger.error(
        { err: error, broadcastId: a.broadcastId },
        'phase announcement enqueue failed; left for requeue',
      );
    }
  }
}

/**
 * The time zone of the process whose phase this broadcast announces (one the system created: createdById
 * null); undefined for staff's broadcasts and unknown ids. The sender holds the announcements through quiet
 * hours in that zone.
 */
export async function phaseAnnouncementTimeZone(
  deps: Pick<DomainDeps, 'db'>,
  input: { broadcastId: number },
): Promise<string | undefined> {
  if (!isDbId(input.broadcastId)) return undefined;
  const [row] = await deps.db.$queryRaw<{ timeZone: string }[]>`
    SELECT p."timeZone" FROM "Broadcast" b JOIN "Process" p ON p.id = b."processId"
    WHERE b.id = ${input.broadcastId} AND b."createdById" IS NULL`;
  return row?.timeZone;
}

/**
 * Cancels a phase announcement that has not gone out yet (still 'scheduled') whose phase is over by now: the
 * sender asks before starting one, so one held through quiet hours (or waiting for a sender that was down)
 * never announces a phase that ended meanwhile. Returns the phase it announced when it cancelled it;
 * undefined otherwise (staff's broadcasts, one under way or finished, one whose phase is not over). Run under
 * the process's lock, like the phase changes, so a phase extended at the same moment keeps its announcement.
 * Audited as the system's cancellation.
 */
export async function cancelEndedPhaseAnnouncement(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { broadcastId: number },
): Promise<{ processId: number; position: number; kind: PhaseKind } | undefined> {
  if (!isDbId(input.broadcastId)) return undefined;
  const now = deps.now();
  return deps.db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ processId: number }[]>`
      SELECT p.id AS "processId" FROM "Process" p JOIN "Broadcast" b ON b."processId" = p.id
      WHERE b.id = ${input.broadcastId} AND b."createdById" IS NULL AND b.status = 'scheduled'
      FOR UPDATE OF p`;
    if (!row) return undefined;
    const phase = await tx.phase.findFirst({
      where: { processId: row.processId, announcementId: input.broadcastId, endsAt: { lte: now } },
      select: { position: true, kind: true },
    });
    if (!phase) return undefined;
    const done = await tx.broadcast.updateMany({
      where: { id: input.broadcastId, status: 'scheduled' },
      data: { status: 'cancelled', finishedAt: now },
    });
    if (done.count === 0) return undefined;
    await audit(tx, {
      actor: 'system',
      action: 'broadcast.cancel',
      target: { kind: 'broadcast', id: input.broadcastId },
      before: { status: 'scheduled' },
      after: { status: 'cancelled', skipped: 0 },
      reason: 'phase-ended',
      at: now,
    });
    return { processId: row.processId, ...phase };
  });
}

/** The phases as answers and the audit log show them. */
export function phaseSummary(phases: readonly StoredPhase[]) {
  return phases.map((p) => ({
    position: p.position,
    kind: p.kind,
    startsAt: p.startsAt.toISOString(),
    endsAt: p.endsAt.toISOString(),
    acceptsProposals: p.acceptsProposals,
    announcementId: p.announcementId,
  }));
}

async function createAnnouncement(
  tx: Tx,
  ctx: PhaseWriteContext,
  input: { position: number; kind: PhaseKind; texts: Partial<Record<Locale, string>>; at: Date | undefined },
): Promise<number> {
  const { id } = await tx.broadcast.create({
    data: {
      processId: ctx.processId,
      createdById: null,
      texts: input.texts,
      audience: {},
      status: 'scheduled',
      scheduledAt: input.at ?? null,
      createdAt: ctx.now,
    },
    select: { id: true },
  });
  await audit(tx, {
    actor: ctx.actor,
    action: 'broadcast.create',
    target: { kind: 'broadcast', id },
    after: {
      processId: ctx.processId,
      announces: { position: input.position, kind: input.kind },
      audience: {},
      scheduledAt: input.at ?? null,
      locales: Object.keys(input.texts),
    },
    reason: 'phase-announcement',
    sourceIp: ctx.sourceIp,
    at: ctx.now,
  });
  return id;
}

function checkedTexts(texts: { es: string; en?: string }): Partial<Record<Locale, string>> {
  const out: Partial<Record<Locale, string>> = {};
  for (const locale of LOCALES) {
    const text = texts[locale]?.trim();
    if (text) out[locale] = text;
  }
  if (!out.es) throw new Error('phase announcement without a Spanish text');
  return out;
}

function sameTexts(stored: unknown, texts: Partial<Record<Locale, string>>): boolean {
  if (!stored || typeof stored !== 'object') return false;
  const s = stored as Record<string, unknown>;
  return (
    Object.keys(s).length === Object.keys(texts).length &&
    LOCALES.every((l) => (s[l] ?? undefined) === texts[l])
  );
}

/**
 * Locks a process's row for a change (so two changes of one process run one after the other) and reads its
 * time zone and phases in order; undefined when there is no such process.
 */
export async function lockProcess(
  tx: Tx,
  processId: number,
): Promise<{ timeZone: string; phases: StoredPhase[] } | undefined> {
  const [row] = await tx.$queryRaw<{ timeZone: string }[]>`
    SELECT "timeZone" FROM "Process" WHERE id = ${processId} FOR UPDATE`;
  if (!row) return undefined;
  const phases = await tx.phase.findMany({
    where: { processId },
    orderBy: { position: 'asc' },
    select: storedPhaseSelect,
  });
  return { timeZone: row.timeZone, phases };
}
