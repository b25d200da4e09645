// Admins publish a new version of the privacy notice (its summary and full text per language, Spanish
// required). From then on, each participant whose consent was given to an older version is asked to accept
// this one at their next message (the engine's notice gate); until then they can still read and leave.
// Versions are numbered one after another under a transaction-scoped lock, and audited.
import type { DomainDeps } from './deps.ts';
import { audit } from './moderation-cases.ts';

export const MAX_NOTICE_SUMMARY = 1_000;
export const MAX_NOTICE_TEXT = 20_000;

export interface NoticeTexts {
  summary: string;
  fullText: string;
}

export type PublishPrivacyNoticeResult =
  { ok: true; version: number; locales: string[] } | { ok: false; reason: 'not-allowed' | 'empty-text' };

export async function publishPrivacyNotice(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: {
    staffMemberId: string;
    texts: { es: NoticeTexts; en?: NoticeTexts };
    sourceIp?: string;
  },
): Promise<PublishPrivacyNoticeResult> {
  const staff = await deps.db.staffMember.findUnique({
    where: { id: input.staffMemberId },
    select: { role: true, disabledAt: true },
  });
  if (!staff || staff.disabledAt || staff.role !== 'admin') return { ok: false, reason: 'not-allowed' };
  const entries = Object.entries(input.texts).filter((e): e is [string, NoticeTexts] => e[1] !== undefined);
  if (entries.some(([, t]) => t.summary.trim() === '' || t.fullText.trim() === ''))
    return { ok: false, reason: 'empty-text' };
  const now = deps.now();
  return deps.db.$transaction(async (tx) => {
    // One publisher at a time: the next number is read and used under the same lock.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('plaza.privacy-notice'))`;
    const latest = await tx.privacyNotice.aggregate({ _max: { version: true } });
    const version = (latest._max.version ?? 0) + 1;
    await tx.privacyNotice.createMany({
      data: entries.map(([locale, t]) => ({
        version,
        locale,
        summary: t.summary.trim(),
        fullText: t.fullText.trim(),
        publishedAt: now,
      })),
    });
    await audit(tx, {
      actor: `staff:${input.staffMemberId}`,
      action: 'privacy-notice.publish',
      target: { kind: 'privacy-notice', id: version },
      before: { version: version - 1 },
      after: { version, locales: entries.map(([l]) => l) },
      sourceIp: input.sourceIp,
      at: now,
    });
    return { ok: true, version, locales: entries.map(([l]) => l) } as const;
  });
}
