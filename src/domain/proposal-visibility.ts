// Which proposal statuses the public may see. Pending, rejected and withdrawn ones are visible to their
// author only.
import type { ProposalStatus } from '../generated/prisma/enums.ts';

export const PUBLIC_STATUSES = [
  'published',
  'selected',
  'not_selected',
] as const satisfies readonly ProposalStatus[];

export function isPublic(status: ProposalStatus): boolean {
  return (PUBLIC_STATUSES as readonly ProposalStatus[]).includes(status);
}
