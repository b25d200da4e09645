// Someone answered the onboarding age question "under 14" (LOPDGDD art. 7: younger people cannot consent
// by themselves). They are not a participant and nothing identifying them is stored: only that an answer
// came, on which channel and on which day — to count the people turned away (the conversation itself remembers the
// answer in its expiring dialog state, so it is not asked again straight away).
import type { DomainDeps } from './deps.ts';

export async function recordUnderageAnswer(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { channel: string },
): Promise<{ ok: true }> {
  // The day only: a time to the millisecond could be matched against access logs.
  const day = new Date(deps.now().toISOString().slice(0, 10));
  await deps.db.underageAnswer.create({ data: { channel: input.channel, createdAt: day } });
  return { ok: true };
}
