// A channel as people call it in a sentence ("vuelve a Telegram", "en el chat web").
import type { TurnContext } from 'botbuilder';
import { tr } from '../session.ts';

export function channelName(ctx: TurnContext, channel: string): string {
  if (channel === 'telegram') return tr(ctx, 'linkAccounts.channel.telegram');
  if (channel === 'webchat') return tr(ctx, 'linkAccounts.channel.webchat');
  return tr(ctx, 'linkAccounts.channel.other');
}
