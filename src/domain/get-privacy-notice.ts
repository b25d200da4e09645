// The privacy notice in force (highest version) in the participant's language, Spanish as fallback.
import type { DomainDeps, Locale } from './deps.ts';
import { DEFAULT_LOCALE } from './deps.ts';

export interface PrivacyNoticeView {
  version: number;
  locale: string;
  summary: string;
  fullText: string;
}

export async function getPrivacyNotice(
  deps: Pick<DomainDeps, 'db'>,
  input: { locale: Locale },
): Promise<PrivacyNoticeView | undefined> {
  const latest = await deps.db.privacyNotice.findFirst({
    orderBy: { version: 'desc' },
    select: { version: true },
  });
  if (!latest) return undefined;
  const notices = await deps.db.privacyNotice.findMany({
    where: { version: latest.version, locale: { in: [input.locale, DEFAULT_LOCALE] } },
  });
  const notice = notices.find((n) => n.locale === input.locale) ?? notices[0];
  return (
    notice && {
      version: notice.version,
      locale: notice.locale,
      summary: notice.summary,
      fullText: notice.fullText,
    }
  );
}
