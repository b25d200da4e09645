// A failure that repeats is told when it starts, at most once a minute while it lasts, and when it ends.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.ts';
import { backoffMs, OutageLog } from '../src/outage-log.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger('debug', { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { lines, logger };
}

describe('OutageLog', () => {
  it('logs the start, a reminder a minute, and the end with how long it lasted', () => {
    const { lines, logger } = capture();
    let now = 1_000_000;
    const outage = new OutageLog({ logger, down: 'Redis unreachable', up: 'Redis back', now: () => now });
    outage.recovered();
    expect(lines).toHaveLength(0);
    const error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6391'), { code: 'ECONNREFUSED' });
    for (let i = 0; i < 100; i++) {
      outage.failed(error);
      now += 500;
    }
    // 50 s of failures: one line.
    expect(lines.map((l) => l.msg)).toEqual(['Redis unreachable']);
    expect(lines[0]).toMatchObject({ level: 50, err: { code: 'ECONNREFUSED', type: 'Error' } });
    expect(outage.isDown).toBe(true);
    now += 10_000;
    outage.failed(error);
    outage.failed(error);
    expect(lines.map((l) => l.msg)).toEqual(['Redis unreachable', 'Redis unreachable (still)']);
    expect(lines[1]).toMatchObject({ downSeconds: 60, failures: 101 });
    now += 12_000;
    outage.recovered();
    outage.recovered();
    expect(lines.map((l) => l.msg).slice(2)).toEqual(['Redis back after 72 s']);
    expect(lines[2]).toMatchObject({ level: 30, downSeconds: 72, failures: 102 });
    expect(outage.isDown).toBe(false);
    // A new outage is told again.
    outage.failed(error);
    expect(lines).toHaveLength(4);
  });

  it('backs off exponentially up to a cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 100].map((n) => backoffMs(n))).toEqual([
      500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000,
    ]);
    expect(backoffMs(1, 1000, 30_000)).toBe(1000);
  });
});
