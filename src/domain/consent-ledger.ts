// The consent ledger as the use cases read it (the current state of a purpose is its latest row), the lock
// that serialises one participant's consent and subscription changes, and the end of everything a person
// receives on their own initiative (shared by unsubscribe-from-everything and withdraw-consent). Not a use
// case: helpers that run inside their callers' transactions.
import type { Prisma } from '../generated/prisma/client.ts';
import type { ConsentAction, ConsentPurpose } from '../generated/prisma/enums.ts';

export type Tx = Prisma.TransactionClient;

export interface CurrentConsent {
  action: ConsentAction;
  noticeVersion: number;
}

/** The latest ledger row of one purpose, or undefined when the person was never asked. */
export async function currentConsent(
  db: Pick<Tx, 'consentRecord'>,
  participantId: string,
  purpose: ConsentPurpose,
): Promise<CurrentConsent | undefined> {
  const latest = await db.consentRecord.findFirst({
    where: { participantId, purpose },
    orderBy: { id: 'desc' },
    select: { action: true, noticeVersion: true },
  });
  return latest ?? undefined;
}

/**
 * Locks the participant's row for the rest of the transaction, in a statement of its own (so the next
 * statements read what a concurrent change committed). Consent changes and subscriptions of one person
 * take this lock, so a subscription cannot slip in after consent was withdrawn.
 */
export async function lockParticipant(tx: Tx, participantId: string): Promise<void> {
  await tx.$executeRaw`SELECT 1 FROM "Participant" WHERE id = ${participantId}::uuid FOR UPDATE`;
}

export interface EndedUpdates {
  /** Subscriptions removed. */
  subscriptions: number;
  /** The `updates` consent was given and is now withdrawn in the ledger. */
  consentWithdrawn: boolean;
  /** Broadcast messages not yet sent (pending or queued) marked skipped. */
  skippedDeliveries: number;
  /** Proposals whose new comments they no longer hear of. */
  follows: number;
}

/**
 * Ends every update a participant would receive: removes their subscriptions, withdraws the `updates`
 * consent (one ledger row, only if it stands) and marks their broadcast messages that have not gone out
 * yet `skipped`, so a message already queued is not sent either (the sender re-checks at send time too).
 * Runs in the caller's transaction, after lockParticipant.
 */
export async function endUpdates(
  tx: Tx,
  input: { participantId: string; channel: string; at: Date },
): Promise<EndedUpdates> {
  const removed = await tx.subscription.deleteMany({ where: { participantId: input.participantId } });
  const updates = await currentConsent(tx, input.participantId, 'updates');
  const consentWithdrawn = updates?.action === 'given';
  if (consentWithdrawn) {
    await tx.consentRecord.create({
      data: {
        participantId: input.participantId,
        purpose: 'updates',
        action: 'withdrawn',
        noticeVersion: updates.noticeVersion,
        channel: input.channel,
        createdAt: input.at,
      },
    });
  }
  const skipped = await tx.broadcastDelivery.updateMany({
    where: { participantId: input.participantId, status: { in: ['pending', 'queued'] } },
    data: { status: 'skipped' },
  });
  // Nor do they hear of new comments on proposals they followed.
  const follows = await tx.proposalFollow.deleteMany({ where: { participantId: input.participantId } });
  // Broadcasts kept for their next web chat visit are not shown any more either.
  await tx.notice.deleteMany({
    where: { participantId: input.participantId, kind: 'broadcast', deliveredAt: null },
  });
  return {
    subscriptions: removed.count,
    consentWithdrawn,
    skippedDeliveries: skipped.count,
    follows: follows.count,
  };
}
