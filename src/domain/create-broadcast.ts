// Staff create a broadcast for a process's subscribers: texts per language (Spanish required: the fallback
// for everyone), an audience (languages, channels), now or at a future time. Only active staff and admins.
// The audience is frozen later, when sending starts (start-broadcast), so a person who unsubscribes before
// then is not included. A `broadcasts` job (ids only) starts it, delayed until `scheduledAt`.
import { isDbId } from './ids.ts';
import type { DomainDeps, Locale } from './deps.ts';
import { LOCALES } from './deps.ts';
import { audit } from './moderation-cases.ts';
import { BROADCAST_CHANNELS, type Audience } from './broadcast-audience.ts';

/** Telegram's limit for one message, with room for nothing else: broadcasts are one message each. */
export const MAX_BROADCAST_TEXT = 4000;

export type CreateBroadcastResult =
  | { ok: true; broadcast: { id: number; status: 'scheduled' | 'sending'; scheduledAt: Date | null } }
  | {
      ok: false;
      reason:
        | 'not-allowed'
        | 'process-not-found'
        | 'spanish-text-required'
        | 'text-too-long'
        | 'invalid-audience'
        | 'in-the-past';
    };

export async function createBroadcast(
  deps: Pick<DomainDeps, 'db' | 'now' | 'queues' | 'logger'>,
  input: {
    staffMemberId: string;
    processId: number;
    texts: Partial<Record<Locale, string>>;
    audience?: Audience;
    scheduledAt?: Date;
    /** A Telegram chat where the staff member watches the progress (when started from chat). */
    progressChatId?: string;
    sourceIp?: string;
  },
): Promise<CreateBroadcastResult> {
  const staff = await deps.db.staffMember.findUnique({
    where: { id: input.staffMemberId },
    select: { role: true, disabledAt: true },
  });
  if (!staff || staff.disabledAt || (staff.role !== 'staff' && staff.role !== 'admin'))
    return { ok: false, reason: 'not-allowed' };
  if (!isDbId(input.processId)) return { ok: false, reason: 'process-not-found' };
  const texts: Partial<Record<Locale, string>> = {};
  for (const locale of LOCALES) {
    const text = input.texts[locale]?.trim();
    if (text) texts[locale] = text;
  }
  if (!texts.es) return { ok: false, reason: 'spanish-text-required' };
  if (Object.values(texts).some((t) => [...t].length > MAX_BROADCAST_TEXT))
    return { ok: false, reason: 'text-too-long' };
  const audience = input.audience ?? {};
  if (
    (audience.locales ?? []).some((l) => !LOCALES.includes(l)) ||
    (audience.channels ?? []).some((c) => !(BROADCAST_CHANNELS as readonly string[]).includes(c))
  )
    return { ok: false, reason: 'invalid-audience' };
  const now = deps.now();
  if (input.scheduledAt && input.scheduledAt.getTime() < now.getTime() - 60_000)
    return { ok: false, reason: 'in-the-past' };
  const process = await deps.db.process.findUnique({ where: { id: input.processId }, select: { id: true } });
  if (!process) return { ok: false, reason: 'process-not-found' };

  const scheduled = input.scheduledAt !== undefined && input.scheduledAt.getTime() > now.getTime();
  const broadcast = await deps.db.$transaction(async (tx) => {
    const created = await tx.broadcast.create({
      data: {
        processId: input.processId,
        createdById: input.staffMemberId,
        texts,
        audience: { ...audience },
        status: 'scheduled',
        scheduledAt: input.scheduledAt ?? null,
        progressChatId: input.progressChatId ?? null,
        createdAt: now,
      },
      select: { id: true },
    });
    await audit(tx, {
      actor: `staff:${input.staffMemberId}`,
      action: 'broadcast.create',
      target: { kind: 'broadcast', id: created.id },
      after: {
        processId: input.processId,
        audience,
        scheduledAt: input.scheduledAt ?? null,
        locales: Object.keys(texts),
      },
      sourceIp: input.sourceIp,
      at: now,
    });
    return created;
  });
  try {
    await deps.queues.startBroadcast(broadcast.id, scheduled ? input.scheduledAt! : undefined);
  } catch (error) {
    // The worker's start-up sweep (requeue-broadcasts) starts scheduled broadcasts whose job is missing.
    deps.logger.error(
      { err: error, broadcastId: broadcast.id },
      'broadcast enqueue failed; left for requeue',
    );
  }
  return {
    ok: true,
    broadcast: { id: broadcast.id, status: 'scheduled', scheduledAt: input.scheduledAt ?? null },
  };
}
