// What a moderator is told when their decision did not happen (the first decision won, nothing to redact…).
// A decision already made by the same moderator (a double tap, a second press before the card's edit
// arrives) is not news about a colleague: it is said neutrally. Told apart by staff id, not by name: two
// colleagues may share a name.
import type { TurnContext } from 'botbuilder';
import type { DecideModerationResult } from '../../domain/decide-moderation.ts';
import { tr } from '../session.ts';

export async function tellDecisionProblem(
  ctx: TurnContext,
  caseId: number,
  r: Extract<DecideModerationResult, { ok: false }>,
  /** The staff id of the moderator who tried (compared with the decider's). */
  staffMemberId?: string,
): Promise<void> {
  switch (r.reason) {
    case 'already-decided':
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
    default:
      await ctx.sendActivity(tr(ctx, 'moderation.notFound', { id: caseId }));
  }
}
