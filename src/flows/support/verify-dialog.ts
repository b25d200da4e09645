// Verifying a participant in a binding process: asks for their invitation or census code (free text; the
// words that work anywhere, «cancelar»/«cancel», leave) and redeems it. Ends with `{ verified }`; the caller
// (proposal-dialog) carries on with what needed it. A wrong or used code gets its answer and the question
// again while this conversation has tries left (the domain counts every attempt, in any conversation, and
// says `too-many-attempts` beyond them); too many attempts and a paused process get a kind explanation.
// Text that cannot be a code (fewer than 8 characters, or others than letters, digits, `-` and `_`) is
// answered at the prompt, without spending an attempt.
import { type WaterfallStepContext } from 'botbuilder-dialogs';
import { redeemVerificationCode } from '../../domain/redeem-verification-code.ts';
import {
  MAX_VERIFICATION_ATTEMPTS,
  normaliseVerificationCode,
  VERIFICATION_ATTEMPT_WINDOW_MS,
} from '../../domain/verification-codes.ts';
import { participantId, tr, type FlowServices } from '../session.ts';
import { askText, registerTextCheck, Flow } from '../ui.ts';

export const VERIFY = 'verify';

export interface VerifyOptions {
  processId: number;
  /** Codes already typed in this dialog (wrong or used). */
  tries?: number;
}

export interface VerifyResult {
  verified: boolean;
}

const CODE_CHECK = registerTextCheck('verification-code', (ctx, text) =>
  normaliseVerificationCode(text) === undefined ? tr(ctx, 'verification.notACode') : undefined,
);

const minutes = (ms: number) => Math.ceil(ms / 60_000);

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
    const r = await redeemVerificationCode(this.services.domain, {
      participantId: participantId(ctx),
      processId: o.processId,
      code: step.result as string,
    });
    const end = (verified: boolean) => step.endDialog({ verified } satisfies VerifyResult);
    if (r.ok) {
      await ctx.sendActivity(tr(ctx, 'verification.done'));
      return end(true);
    }
    switch (r.reason) {
      case 'already-verified':
      case 'not-required':
        return end(true);
      case 'code-wrong':
      case 'code-used': {
        const tries = (o.tries ?? 0) + 1;
        if (tries < MAX_VERIFICATION_ATTEMPTS) {
          await ctx.sendActivity(tr(ctx, `verification.${r.reason}`));
          return step.replaceDialog(VERIFY, { ...o, tries } satisfies VerifyOptions);
        }
        // The last try of the window: say so now rather than ask for a code that would be refused unread.
        await ctx.sendActivity(
          `${tr(ctx, `verification.${r.reason}`)}\n\n${tr(ctx, 'verification.too-many-attempts', {
            minutes: minutes(VERIFICATION_ATTEMPT_WINDOW_MS),
          })}`,
        );
        return end(false);
      }
      case 'too-many-attempts':
        await ctx.sendActivity(
          tr(ctx, 'verification.too-many-attempts', { minutes: minutes(VERIFICATION_ATTEMPT_WINDOW_MS) }),
        );
        return end(false);
      case 'paused':
        await ctx.sendActivity(tr(ctx, 'verification.paused'));
        return end(false);
      case 'not-found':
        await ctx.sendActivity(tr(ctx, 'verification.not-found'));
        return end(false);
      default: {
        const unhandled: never = r.reason;
        throw new Error(`unhandled verification outcome ${String(unhandled)}`);
      }
    }
  }
}
