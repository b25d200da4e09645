// The moderators' room (a Telegram group): case cards arrive there with Approve / Reject / Redact buttons.
// Only registered, active staff count: anyone else pressing is told so and nothing changes. Text in the
// room is people talking to each other: the bot answers only its commands (/cola, /ayuda) and the reason
// it asked a moderator for. A successful decision shows as the card's edit, made by the notifications job
// for decisions from any source (room or HTTP), so there is one way the room learns an outcome.
import type { TurnContext } from 'botbuilder';
import type { DialogContext } from 'botbuilder-dialogs';
import { decideModeration } from '../../domain/decide-moderation.ts';
import { findStaffMember } from '../../domain/find-staff-member.ts';
import { listModerationQueue } from '../../domain/list-moderation-queue.ts';
import { tr, type FlowServices } from '../session.ts';
import { CASE_ACTION } from './case-card.ts';
import { REJECT_REASON, type RejectReasonOptions } from './reject-reason-dialog.ts';
import { tellDecisionProblem } from './decision-problem.ts';

/** Channels send a signed postBack button's value as this event. */
export const POSTBACK_EVENT = 'postBack';
const QUEUE_LINES = 15;

function roomCommand(text: string | undefined): 'queue' | 'help' | undefined {
  const word = text?.trim().toLowerCase().replace(/@\w+$/, '');
  if (word === '/cola' || word === '/queue') return 'queue';
  if (word === '/ayuda' || word === '/help' || word === '/start') return 'help';
  return undefined;
}

export async function runModeratorsRoom(
  dc: DialogContext,
  services: FlowServices,
  expiredButtonEvent: string,
): Promise<void> {
  const ctx = dc.context;
  const a = ctx.activity;
  const staff = await findStaffMember(services.domain, { channel: a.channelId, externalId: a.from.id });

  if (a.type === 'event' && a.name === POSTBACK_EVENT) {
    const m = CASE_ACTION.exec(typeof a.value === 'string' ? a.value : '');
    if (!m) return;
    const caseId = Number(m[1]);
    const decision = m[2] as 'approve' | 'reject' | 'redact_approve';
    if (!staff) {
      await ctx.sendActivity(tr(ctx, 'moderation.notModerator', { id: a.from.id }));
      return;
    }
    if (decision === 'reject') {
      await dc.cancelAllDialogs();
      await dc.beginDialog(REJECT_REASON, {
        caseId,
        staffMemberId: staff.id,
        who: staff.name,
      } satisfies RejectReasonOptions);
      return;
    }
    const r = await decideModeration(services.domain, { caseId, staffMemberId: staff.id, decision });
    if (!r.ok) await tellDecisionProblem(ctx, caseId, r);
    return;
  }
  if (a.type === 'event' && a.name === expiredButtonEvent) {
    await ctx.sendActivity(tr(ctx, 'moderation.notYours'));
    if (staff && dc.activeDialog) await dc.repromptDialog();
    return;
  }
  if (a.type !== 'message') return;
  const command = roomCommand(a.text);
  if (command === 'help') {
    await ctx.sendActivity(tr(ctx, 'moderation.help'));
    return;
  }
  if (command === 'queue') {
    if (!staff) {
      await ctx.sendActivity(tr(ctx, 'moderation.notModerator', { id: a.from.id }));
      return;
    }
    await showQueue(ctx, services);
    return;
  }
  if (staff && dc.activeDialog) await dc.continueDialog();
}

async function showQueue(ctx: TurnContext, services: FlowServices): Promise<void> {
  const r = await listModerationQueue(services.domain, { state: 'open', limit: QUEUE_LINES });
  if (!r.ok || r.items.length === 0) {
    await ctx.sendActivity(tr(ctx, 'moderation.queueEmpty'));
    return;
  }
  const lines = [tr(ctx, 'moderation.queueTitle', { count: r.openCount })];
  for (const item of r.items)
    lines.push(
      tr(ctx, 'moderation.queueLine', {
        id: item.id,
        kind: tr(ctx, `moderation.kind.${item.itemKind}`),
        age: formatAge(item.ageSeconds),
        excerpt: item.excerpt.length > 60 ? `${item.excerpt.slice(0, 59)}…` : item.excerpt,
      }),
    );
  if (r.openCount > r.items.length)
    lines.push(tr(ctx, 'moderation.queueMore', { count: r.openCount - r.items.length }));
  await ctx.sendActivity(lines.join('\n'));
}

/** "3 min", "5 h", "2 d": ages at a glance, the same in both languages. */
export function formatAge(seconds: number): string {
  if (seconds < 60) return `${Math.max(0, Math.floor(seconds))} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86400)} d`;
}
