// Subscribers of a process, as broadcasts find them: a participant with an account on one channel, a
// language, consent to participate and (unless told otherwise) to receive updates, subscribed to the process.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../src/db/client.ts';

export async function createSubscriber(
  db: Db,
  processId: number,
  opts: { channel?: 'telegram' | 'webchat'; locale?: 'es' | 'en'; updates?: boolean } = {},
): Promise<{ id: string; externalId: string }> {
  const channel = opts.channel ?? 'telegram';
  const externalId =
    channel === 'telegram' ? String(2_000_000 + Math.floor(Math.random() * 1e9)) : `u-${randomUUID()}`;
  const p = await db.participant.create({
    data: {
      locale: opts.locale ?? 'es',
      accounts: { create: { channel, externalId } },
      consents: {
        create: [
          { purpose: 'participation', action: 'given', noticeVersion: 1, channel },
          ...(opts.updates === false
            ? []
            : [{ purpose: 'updates' as const, action: 'given' as const, noticeVersion: 1, channel }]),
        ],
      },
      subscriptions: { create: { processId } },
    },
  });
  return { id: p.id, externalId };
}
