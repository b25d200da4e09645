// Verifying a participant in a binding process: asks for their invitation or census code (free text; the
// words that work anywhere, «cancelar»/«cancel», leave, and so does a no, «no», «no gracias», which comes back
// to what they were doing) and redeems it. Ends with `{ verified }`; the caller (proposal-dialog) carries on
// with what needed it. A wrong or used code gets its answer and the question again while the domain says the
// participant has attempts left — it counts them all, in any conversation of theirs —; after the last one,
// the answer says at once how many minutes to wait instead of asking for a code that would be refused unread.
// Too many attempts and a paused process get a kind explanation. Text that cannot be a code (fewer than 8
// letters or digits; other characters than those, `-`, `_` and the spaces of a code printed in groups) is
// answered at the prompt, without spending an attempt.
import { type WaterfallStepContext } from 'botbuilder-dialogs';
import { redeemVerificationCode } from '../../domain/redeem-verification-code.ts';
import { normaliseVerificationCode } from '../../domain/verification-codes.ts';
import { participantId, tr, type FlowServices } from '../session.ts';
import { askText, registerTextCheck, saysNo, Flow } from '../ui.ts';

export const VERIFY = 'verify';

export interface VerifyOptions {
  processId: number;
  /** Whether a code was typed already in this dialog (wrong or used): the question is then «again». */
  tries?: number;
}

export interface VerifyResult {
  verified: boolean;
}

const CODE_CHECK = registerTextCheck('verification-code', (ctx, text) =>
  saysNo(text) || normaliseVerificationCode(text) !== undefined
    ? undefined
    : tr(ctx, 'verification.notACode'),
);

export class VerifyDialog extends Flow {
  constructor(private readonly services: FlowServices) {
    super(VERIFY);
    this.define(
      (s) => this.ask(s),
      (s) => this.redeem(s),
    );
  }

  private async ask(step: WaterfallStepContext) {
    const o = step.options as VerifyOptions;
    return askText(
      step,
      tr(step.context, o.tries ? 'verification.askAgain' : 'verification.askCode'),
      CODE_CHECK,
    );
  }

  private async redeem(step: WaterfallStepContext) {
    const o = step.options as VerifyOptions;
    const ctx = step.context;
    const end = (verified: boolean) => step.endDialog({ verified } satisfies VerifyResult);
    const text = step.result as string;
    if (saysNo(text)) {
      await ctx.sendActivity(tr(ctx, 'verification.later'));
      return end(false);
    }
    const r = await redeemVerificationCode(this.services.domain, {
      participantId: participantId(ctx),
      processId: o.processId,
      code: text,
    });
    // Whole minutes until the next code is read, rounded up (at least one).
    const wait = (retryAt: Date) =>
      tr(ctx, 'verification.too-many-attempts', {
        count: Math.max(1, Math.ceil((retryAt.getTime() - this.services.domain.now().getTime()) / 60_000)),
      });
    if (r.ok) {
      await ctx.sendActivity(tr(ctx, 'verification.done'));
      return end(true);
    }
    switch (r.reason) {
      case 'already-verified':
      case 'not-required':
        return end(true);
      case 'code-wrong':
      case 'code-used':
        if (r.attemptsLeft > 0 || r.retryAt === undefined) {
          await ctx.sendActivity(tr(ctx, `verification.${r.reason}`));
          return step.replaceDialog(VERIFY, { ...o, tries: (o.tries ?? 0) + 1 } satisfies VerifyOptions);
        }
        // The last attempt the domain allows now: say so, rather than ask for a code it would refuse unread.
        await ctx.sendActivity(`${tr(ctx, `verification.${r.reason}`)}\n\n${wait(r.retryAt)}`);
        return end(false);
      case 'too-many-attempts':
        await ctx.sendActivity(wait(r.retryAt));
        return end(false);
      case 'paused':
        await ctx.sendActivity(tr(ctx, 'verification.paused'));
        return end(false);
      case 'not-found':
        await ctx.sendActivity(tr(ctx, 'verification.not-found'));
        return end(false);
      default: {
        const unhandled: never = r;
        throw new Error(`unhandled verification outcome ${JSON.stringify(unhandled)}`);
      }
    }
  }
}
