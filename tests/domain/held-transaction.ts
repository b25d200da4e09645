// Test support for races between transactions: one transaction does its work and then stays open, its
// locks held, until the test commits it; meanwhile the test starts the use case that must wait for those
// locks, and commits once that use case is seen waiting (PostgreSQL's own view of its sessions), so the
// interleaving is the same on every run.
import type { Db } from '../../src/db/client.ts';
import type { Tx } from '../../src/domain/consent-ledger.ts';

export interface HeldTransaction {
  /** Lets the transaction commit, and waits for it. */
  commit(): Promise<void>;
}

/** Runs `work` in a transaction of its own and returns once it is done, with the transaction still open. */
export async function holdTransaction(db: Db, work: (tx: Tx) => Promise<void>): Promise<HeldTransaction> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let worked!: () => void;
  const ready = new Promise<void>((resolve) => (worked = resolve));
  const done = db.$transaction(
    async (tx) => {
      await work(tx);
      worked();
      await released;
    },
    { maxWait: 10_000, timeout: 20_000 },
  );
  // A failing `work` rejects `done` before `ready` ever resolves.
  await Promise.race([ready, done]);
  return {
    async commit() {
      release();
      await done;
    },
  };
}

/** Resolves once some session of this test's database waits for a lock; fails after `ms`. */
export async function untilWaitingForALock(db: Db, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const [row] = await db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock'`;
    if ((row?.n ?? 0) > 0) return;
    if (Date.now() > until) throw new Error('nobody waited for a lock');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
