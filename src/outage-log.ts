// How Plaza logs something that keeps failing — a store it cannot reach, a loop that retries — without a
// line per attempt: one line when the outage starts, a reminder at most once a minute while it lasts, one
// line when it is over ("… back after 12 s"). Errors go under `err`, through the logger's serializer.
import type { Logger } from './logger.ts';

export interface OutageLogOptions {
  logger: Logger;
  /** The line when the outage starts (and of the reminders), e.g. "Redis unreachable". */
  down: string;
  /** The line when it is over, followed by " after N s", e.g. "Redis back". */
  up: string;
  /** Level of the outage's lines (the recovery is logged at info). Default error. */
  level?: 'error' | 'warn';
  /** Reminders while the outage lasts, at most this often. Default a minute. */
  remindEveryMs?: number;
  now?: () => number;
}

export class OutageLog {
  private since: number | undefined;
  private lastLine = 0;
  private failures = 0;
  private lastFailure = -Infinity;
  private readonly remindEveryMs: number;
  private readonly now: () => number;

  constructor(private readonly opts: OutageLogOptions) {
    this.remindEveryMs = opts.remindEveryMs ?? 60_000;
    this.now = opts.now ?? Date.now;
  }

  /** Whether an outage is under way (a failure was reported, no success since). */
  get isDown(): boolean {
    return this.since !== undefined;
  }

  /** When the last failure was reported (-Infinity: never). */
  get lastFailureAt(): number {
    return this.lastFailure;
  }

  /** Reports a failure: logged if it starts an outage, or as a reminder once a minute. */
  failed(error: unknown, fields: Record<string, unknown> = {}): void {
    const now = this.now();
    this.failures++;
    this.lastFailure = now;
    const level = this.opts.level ?? 'error';
    if (this.since === undefined) {
      this.since = now;
      this.lastLine = now;
      this.opts.logger[level]({ ...fields, err: error }, this.opts.down);
      return;
    }
    if (now - this.lastLine < this.remindEveryMs) return;
    this.lastLine = now;
    this.opts.logger[level](
      { ...fields, err: error, downSeconds: Math.round((now - this.since) / 1000), failures: this.failures },
      `${this.opts.down} (still)`,
    );
  }

  /** Reports a success: ends an outage under way with one line. */
  recovered(fields: Record<string, unknown> = {}): void {
    if (this.since === undefined) return;
    const seconds = Math.round((this.now() - this.since) / 1000);
    this.opts.logger.info(
      { ...fields, downSeconds: seconds, failures: this.failures },
      `${this.opts.up} after ${seconds} s`,
    );
    this.since = undefined;
    this.failures = 0;
  }
}

/** Exponential back-off: `baseMs` after the first failure, doubled after each one, at most `maxMs`. */
export function backoffMs(failures: number, baseMs = 500, maxMs = 30_000): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(failures - 1, 0), 30));
}
