// What every use case receives: the database, the producers of the queues it feeds, a clock and a logger.
// Use cases take (deps, input) and return expected outcomes as values; only the unexpected throws.
import type { Db } from '../db/client.ts';
import type { Logger } from '../logger.ts';

export interface DomainDeps {
  db: Db;
  queues: {
    /** Enqueues the moderation of a proposal. Safe to call twice for one id. */
    moderateProposal(proposalId: number): Promise<void>;
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
