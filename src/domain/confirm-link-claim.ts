// "Vincular cuentas", last step: the owner of a claimed code (claim-link-code), writing in the channel the
// code was shown in, types the two digits the one who typed the code was shown. Right digits merge the two
// participants into the older one (merge-participants), in one transaction; wrong digits spend the code —
// one try, so a guesser gains nothing by asking the owner twice — and the owner may ask for a new one.
// The claim is spent by a conditional UPDATE after both participants are locked (participants before codes,
// the order create-link-code takes too), so a claim confirms once.
//
// Language: the merged participant keeps the owner's — the one who confirms, read under the lock. It is the
// language of the conversation they are confirming in (the engine keeps a consenting person's conversations
// in their participant's language), so the confirmation, the menu after it and «mis datos» agree, and it is
// the latest choice: the typer's account was used a moment before, in the other channel, but it is here
// that the person finishes linking. Older or newer does not matter (the older participant is only where the
// rows go). Their other conversation then speaks it too, from its next message; «idioma» changes it for both.
import { lockParticipant } from './consent-ledger.ts';
import type { DomainDeps } from './deps.ts';
import { notifyPromoted } from './events.ts';
import { mergeParticipants, type DroppedSupports } from './merge-participants.ts';
import { findLiveClaim } from './link-codes.ts';
import { isUuid } from './staff-members.ts';

export type ConfirmLinkClaimResult =
  | {
      ok: true;
      /** The participant both accounts now belong to (the older one). */
      participantId: string;
      /** The participant that no longer exists. */
      mergedId: string;
      /** The channel the code was typed in (now linked). */
      linkedChannel: string;
      /** Supports over a process's limit once merged (the earliest were kept). */
      droppedSupports: DroppedSupports[];
    }
  | { ok: false; reason: 'no-claim' | 'digits-wrong' };

export async function confirmLinkClaim(
  deps: Pick<DomainDeps, 'db' | 'now' | 'queues' | 'logger'>,
  input: { participantId: string; channel: string; digits: string },
): Promise<ConfirmLinkClaimResult> {
  const owner = input.participantId;
  if (!isUuid(owner)) return { ok: false, reason: 'no-claim' };
  const claim = await findLiveClaim(deps, owner, input.channel);
  if (!claim?.claimedById) return { ok: false, reason: 'no-claim' };
  const typer = claim.claimedById;

  const merged = await deps.db.$transaction(
    async (tx) => {
      const ids = [owner, typer].sort();
      for (const id of ids) await lockParticipant(tx, id);
      const now = deps.now();
      const digitsRight = input.digits.trim() === claim.checkDigits;
      const spent = await tx.linkCode.updateMany({
        where: { id: claim.id, usedAt: null, claimedById: typer, expiresAt: { gt: now } },
        data: { usedAt: now },
      });
      if (spent.count === 0) return { ok: false as const, reason: 'no-claim' as const };
      if (!digitsRight) return { ok: false as const, reason: 'digits-wrong' as const };
      const people = await tx.participant.findMany({
        where: { id: { in: ids }, erasedAt: null },
        select: { id: true, createdAt: true, lastSeenAt: true, ageConfirmedAt: true, locale: true },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      });
      // One of the two was erased or merged away since the claim.
      if (people.length !== 2) return { ok: false as const, reason: 'no-claim' as const };
      const [older, newer] = people as [(typeof people)[0], (typeof people)[0]];
      const confirming = older.id === owner ? older : newer;
      const result = await mergeParticipants(tx, {
        into: older,
        from: newer,
        locale: confirming.locale,
        now,
      });
      return { ok: true as const, participantId: older.id, mergedId: newer.id, ...result };
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
  if (!merged.ok) return merged;
  for (const p of merged.promoted) await notifyPromoted(deps, p.eventId, p.list);
  return {
    ok: true,
    participantId: merged.participantId,
    mergedId: merged.mergedId,
    linkedChannel: claim.claimedChannel ?? '',
    droppedSupports: merged.droppedSupports,
  };
}
