// Admins publish a new version of the privacy notice (its summary and full text in every language the chat
// speaks: Spanish and English). Each participant reads it in the language of their conversation (GDPR arts.
// 12–13): a notice missing one is refused ('missing-language'), since those who take part in that language
// would get the Spanish text inside messages in theirs. From then on, each participant whose consent was
// given to an older version is asked to accept this one at their next message (the engine's notice gate);
// until then they can still read and leave.
// Versions are numbered one after another under a transaction-scoped lock, and audited.
//
// A notice identical to the one in force (the same languages, each with the same summary and full text,
// trimmed) is refused as `unchanged`, naming that version: it is the same request sent twice (a double
// click, a client's retry), and a new version would ask everyone to accept the same text again. The check
// runs under the same lock, so two identical requests at the same moment publish one version.
import { LOCALES, type DomainDeps, type Locale } from './deps.ts';
import { audit } from './moderation-cases.ts';

export const MAX_NOTICE_SUMMARY = 1_000;
export const MAX_NOTICE_TEXT = 20_000;

export interface NoticeTexts {
  summary: string;
  fullText: string;
}

export type PublishPrivacyNoticeResult =
  | { ok: true; version: number; locales: string[] }
  | { ok: false; reason: 'not-allowed' | 'empty-text' }
  /** No text in `locale`, a language the chat speaks. */
  | { ok: false; reason: 'missing-language'; locale: Locale }
  /** The notice in force, `version`, has these very texts. */
  | { ok: false; reason: 'unchanged'; version: number };

export async function publishPrivacyNotice(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: {
    staffMemberId: string;
    texts: Record<Locale, NoticeTexts>;
    sourceIp?: string;
  },
): Promise<PublishPrivacyNoticeResult> {
  const staff = await deps.db.staffMember.findUnique({
    where: { id: input.staffMemberId },
    select: { role: true, disabledAt: true },
  });
  if (!staff || staff.disabledAt || staff.role !== 'admin') return { ok: false, reason: 'not-allowed' };
  // Checked here too: callers other than the admin API's schema (a script, a test) may leave one out.
  const missing = LOCALES.find(
    (locale) => (input.texts as Partial<typeof input.texts>)[locale] === undefined,
  );
  if (missing) return { ok: false, reason: 'missing-language', locale: missing };
  const entries = Object.entries(input.texts)
    .filter((e): e is [string, NoticeTexts] => e[1] !== undefined)
    .map(([locale, t]) => [locale, { summary: t.summary.trim(), fullText: t.fullText.trim() }] as const);
  if (entries.some(([, t]) => t.summary === '' || t.fullText === ''))
    return { ok: false, reason: 'empty-text' };
  const now = deps.now();
  return deps.db.$transaction(async (tx): Promise<PublishPrivacyNoticeResult> => {
    // One publisher at a time: the notice in force and the next number are read and used under the same lock.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('plaza.privacy-notice'))`;
    const latest = await tx.privacyNotice.aggregate({ _max: { version: true } });
    if (latest._max.version !== null) {
      const inForce = await tx.privacyNotice.findMany({
        where: { version: latest._max.version },
        select: { locale: true, summary: true, fullText: true },
      });
      const same =
        inForce.length === entries.length &&
        entries.every(([locale, t]) =>
          inForce.some((n) => n.locale === locale && n.summary === t.summary && n.fullText === t.fullText),
        );
      if (same) return { ok: false, reason: 'unchanged', version: latest._max.version };
    }
    const version = (latest._max.version ?? 0) + 1;
    await tx.privacyNotice.createMany({
      data: entries.map(([locale, t]) => ({
        version,
        locale,
        summary: t.summary,
        fullText: t.fullText,
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
    return { ok: true, version, locales: entries.map(([l]) => l) };
  });
}
