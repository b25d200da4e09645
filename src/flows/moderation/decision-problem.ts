// What a moderator is told when their decision did not happen (the first decision won, nothing to redact…).
// A decision already made by the same moderator (a double tap, a second press before the card's edit
// arrives) is not news about a colleague: it is said neutrally. Told apart by staff id, not by name: two
// colleagues may share a name. A case that no longer exists is said to be gone and why — its author withdrew
// the proposal, or erased their data — in the words its card is edited to (its edit may not have gone out
// yet: the group's messages are paced). A case closed without a decision because reports hid its item while
// it waited (its `already-decided` carries no decision) is not news of a colleague's decision either: it is
// said to be reviewed now as a report, in the case opened in its place.
import type { TurnContext } from 'botbuilder';
import type { DecideModerationResult } from '../../domain/decide-moderation.ts';
import type { DomainDeps } from '../../domain/deps.ts';
import { getCaseDecision } from '../../domain/get-case-decision.ts';
import { wasCaseWithdrawnByAuthor } from '../../domain/was-case-withdrawn-by-author.ts';
import { tr } from '../session.ts';

/** Why a case the room's buttons name no longer exists, as its card says once edited. */
export async function caseGoneText(
  ctx: TurnContext,
  domain: Pick<DomainDeps, 'db'>,
  caseId: number,
): Promise<string> {
  const withdrawn = await wasCaseWithdrawnByAuthor(domain, { caseId });
  return tr(ctx, withdrawn ? 'moderation.withdrawnByAuthor' : 'moderation.erased', { id: caseId });
}

/**
 * A case closed without a decision because reports hid its item (wasSuperseded): where it is reviewed now,
 * `next` the reported case opened in its place (null or undefined: not known, the card's own words).
 */
export function supersededText(ctx: TurnContext, caseId: number, next: number | null | undefined): string {
  return next == null
    ? tr(ctx, 'moderation.superseded', { id: caseId })
    : tr(ctx, 'moderation.supersededBy', { id: caseId, next });
}

/** supersededText, looking up the reported case that replaced it. */
export async function supersededCaseText(
  ctx: TurnContext,
  domain: Pick<DomainDeps, 'db'>,
  caseId: number,
): Promise<string> {
  return supersededText(ctx, caseId, (await getCaseDecision(domain, { caseId }))?.supersededBy);
}

export async function tellDecisionProblem(
  ctx: TurnContext,
  caseId: number,
  r: Extract<DecideModerationResult, { ok: false }>,
  /** The staff id of the moderator who tried (compared with the decider's). */
  staffMemberId?: string,
  /** To tell why a case that is not found went; without it, only that it is not found. */
  domain?: Pick<DomainDeps, 'db'>,
): Promise<void> {
  switch (r.reason) {
    case 'already-decided':
      // Closed, not decided: reports hid its item (a decision always has its name).
      if (r.decision === null) {
        await ctx.sendActivity(
          domain ? await supersededCaseText(ctx, domain, caseId) : supersededText(ctx, caseId, undefined),
        );
        return;
      }
      if (staffMemberId !== undefined && r.decidedById === staffMemberId) {
        await ctx.sendActivity(
          tr(ctx, 'moderation.alreadyDecidedByYou', {
            id: caseId,
            decision: r.decision ? tr(ctx, `moderation.decisionName.${r.decision}`) : '—',
          }),
        );
        return;
      }
      await ctx.sendActivity(
        tr(ctx, 'moderation.alreadyDecided', {
          who: r.decidedBy ?? tr(ctx, 'moderation.someone'),
          id: caseId,
          decision: r.decision ? tr(ctx, `moderation.decisionName.${r.decision}`) : '—',
        }),
      );
      return;
    case 'nothing-to-redact':
      await ctx.sendActivity(tr(ctx, 'moderation.nothingToRedact', { id: caseId }));
      return;
    case 'not-allowed':
      await ctx.sendActivity(tr(ctx, 'moderation.notModerator', { id: ctx.activity.from.id }));
      return;
    case 'not-found':
      await ctx.sendActivity(
        domain ? await caseGoneText(ctx, domain, caseId) : tr(ctx, 'moderation.notFound', { id: caseId }),
      );
      return;
    default:
      await ctx.sendActivity(tr(ctx, 'moderation.notFound', { id: caseId }));
  }
}
