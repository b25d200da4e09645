// Database reads and writes the Telegram bench's server children share: the supports of a set of Telegram
// chats (for verification), and participants created directly for the hand-written bot (it has no onboarding).
import type { Db } from '../../src/db/client.ts';

/** Support rows per Telegram account among `chats` (a private chat's id is the person's user id). */
export async function telegramSupports(
  db: Db,
  chats: number[],
): Promise<{ total: number; byChat: Record<string, number> }> {
  const ids = chats.map(String);
  const rows = await db.$queryRaw<{ externalId: string; n: bigint }[]>`
    SELECT a."externalId", count(*) AS n
    FROM "Support" s JOIN "ChannelAccount" a ON a."participantId" = s."participantId"
    WHERE a.channel = 'telegram' AND a."externalId" = ANY(${ids})
    GROUP BY a."externalId"`;
  const byChat = Object.fromEntries(rows.map((r) => [r.externalId, Number(r.n)]));
  return { total: Object.values(byChat).reduce((a, n) => a + n, 0), byChat };
}

/** A consenting participant with a Telegram account per chat, as onboarding would leave them. */
export async function createTelegramParticipants(db: Db, chats: number[]): Promise<void> {
  for (const chat of chats) {
    await db.participant.create({
      data: {
        ageConfirmedAt: new Date(),
        accounts: { create: { channel: 'telegram', externalId: String(chat) } },
        consents: {
          create: { purpose: 'participation', action: 'given', noticeVersion: 1, channel: 'telegram' },
        },
      },
    });
  }
}
