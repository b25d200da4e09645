// A notice handed to a channel that could not show it after all (Telegram refused it: the person had
// blocked the bot, 403) is not delivered: it waits again, on the channel the person can now be told on
// (notices.ts: their web chat if they have one, else the Telegram account they blocked), and the engine
// shows it at the head of their next turn there (take-pending-notices). Only a notice that this channel
// took (`deliveredVia`) is reopened — never one shown elsewhere, nor one found to have nothing to say — so
// it is shown once. Safe to run twice: a notice already waiting is left as it is.
import type { DomainDeps } from './deps.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { noticeChannel } from './notices.ts';

export async function markNoticeUndelivered(
  deps: Pick<DomainDeps, 'db'>,
  input: { noticeId: bigint; via: string },
): Promise<{ ok: true; reopened: boolean }> {
  const count = await deps.db.$executeRaw`
    UPDATE "Notice" n SET "deliveredAt" = NULL, "deliveredVia" = NULL,
      channel = coalesce(${noticeChannel(Prisma.sql`n."participantId"`)}, n.channel)
    WHERE n.id = ${input.noticeId} AND n."deliveredVia" = ${input.via} AND n."deliveredAt" IS NOT NULL`;
  return { ok: true, reopened: count > 0 };
}
