// A channel as a sentence needs it: where ("en el chat web", "on Telegram") and where to ("al chat web").
import type { TurnContext } from 'botbuilder';
import { tr } from '../session.ts';

const known = (channel: string) =>
  channel === 'telegram' || channel === 'webchat' ? channel : ('other' as const);

export const channelIn = (ctx: TurnContext, channel: string): string =>
  tr(ctx, `linkAccounts.channelIn.${known(channel)}`);

export const channelTo = (ctx: TurnContext, channel: string): string =>
  tr(ctx, `linkAccounts.channelTo.${known(channel)}`);
