// What a retention warning says (describe-notices asks here for `retention-warning`): from when the
// person's data is erased, after how long an absence, and whether the warning still stands. It stands
// until they come back (record-participant-activity clears it); a web chat notice is only ever seen by
// someone who came back, so it then says that their data stays. Left out (undefined) when the payload is
// not a warning's.
import type { DomainDeps, Locale } from './deps.ts';
import type { RetentionWarningPayload } from './retention.ts';

export interface RetentionNoticeView {
  id: bigint;
  locale: Locale;
  kind: 'retention-warning';
  /** From when the data is erased unless the person comes back. */
  eraseAt: Date;
  /** The absence, in days, after which data is erased. */
  days: number;
  /** Not seen since the warning: the erasure is still to come. False: they came back, data stays. */
  stillDue: boolean;
}

export async function describeRetentionNotice(
  deps: Pick<DomainDeps, 'db'>,
  notice: { id: bigint; locale: Locale; payload: unknown },
): Promise<RetentionNoticeView | undefined> {
  const payload = (notice.payload ?? {}) as Partial<RetentionWarningPayload>;
  if (!payload.warnedAt || !payload.eraseAt || !payload.days) return undefined;
  const row = await deps.db.notice.findUnique({
    where: { id: notice.id },
    select: { participant: { select: { retentionWarnedAt: true, lastSeenAt: true } } },
  });
  if (!row) return undefined;
  const { retentionWarnedAt, lastSeenAt } = row.participant;
  return {
    id: notice.id,
    locale: notice.locale,
    kind: 'retention-warning',
    eraseAt: new Date(payload.eraseAt),
    days: payload.days,
    stillDue: retentionWarnedAt?.getTime() === payload.warnedAt && lastSeenAt.getTime() <= payload.warnedAt,
  };
}
