// Whether someone typed this participant's code in another channel and waits for them to confirm here
// (claim-link-code → confirm-link-claim), and in which channel it was typed. Never the digits.
import type { DomainDeps } from './deps.ts';
import { findLiveClaim } from './link-codes.ts';
import { isUuid } from './staff-members.ts';

export async function findLinkClaim(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { participantId: string; channel: string },
): Promise<{ claimedChannel: string } | undefined> {
  if (!isUuid(input.participantId)) return undefined;
  const claim = await findLiveClaim(deps, input.participantId, input.channel);
  return claim ? { claimedChannel: claim.claimedChannel ?? '' } : undefined;
}
