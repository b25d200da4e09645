// What every use case receives: the database, the producers of the queues it feeds, a clock and a logger.
// Use cases take (deps, input) and return expected outcomes as values; only the unexpected throws.
import type { Db } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import type { NotificationJob } from '../queues/notifications/job.ts';

export interface DomainDeps {
  db: Db;
  queues: {
    /** Enqueues the pre-screen and review of a moderation case. Safe to call twice for one id. */
    moderateCase(caseId: number): Promise<void>;
    /** Enqueues a notification job (ids only). Safe to call twice for one job. */
    notify(job: NotificationJob): Promise<void>;
    /** Starts sending a broadcast now or at `at`. Safe to call twice. */
    startBroadcast(broadcastId: number, at?: Date): Promise<void>;
  };
  now: () => Date;
  logger: Logger;
}

export type Locale = 'es' | 'en';
export const LOCALES: readonly Locale[] = ['es', 'en'];
export const DEFAULT_LOCALE: Locale = 'es';

export function toLocale(value: string | undefined | null): Locale | undefined {
  const base = value?.toLowerCase().split(/[-_]/)[0];
  return LOCALES.find((l) => l === base);
}
