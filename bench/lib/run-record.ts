// What every benchmark does around its measurement: describe the machine and the code measured, wait for the
// machine to be idle, and add the run's Markdown block to its own section of bench/RESULTS.md.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { machineBusyMs } from './proc-cpu.ts';

export const RESULTS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'RESULTS.md');

/** The machine and the code a run measured (the PostgreSQL and Redis versions at the given URLs). */
export function machine(adminUrl: string, redisUrl: string) {
  const run = (cmd: string) => {
    try {
      return execSync(cmd, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return 'n/a';
    }
  };
  return {
    nproc: run('nproc'),
    free: run('free -g'),
    cpu: os.cpus()[0]?.model ?? 'n/a',
    node: process.version,
    commit: `${run('git rev-parse --short HEAD')}${run('git status --porcelain -- src channels') ? ' (+ uncommitted changes in src/channels)' : ''}`,
    postgres: run(`psql "${adminUrl}" -Atc "show server_version"`),
    redis: run(`redis-cli -u "${redisUrl}" info server | grep redis_version | cut -d: -f2`),
  };
}

/** Waits (up to `maxSeconds`) until the machine has been nearly idle for 3 s; returns the busy cores seen. */
export async function waitForIdle(maxSeconds: number, log: (line: string) => void): Promise<number> {
  const deadline = performance.now() + maxSeconds * 1000;
  for (let announced = false; ;) {
    const a = machineBusyMs();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const busy = (machineBusyMs() - a) / 3000;
    if (!(busy > 0.2) || performance.now() > deadline) return busy;
    if (!announced)
      log(`machine busy (${busy.toFixed(2)} cores used by others); waiting up to ${maxSeconds} s`);
    announced = true;
  }
}

/** Adds a run at the end of a bench's section of RESULTS.md (`## bench/<file>`), creating it if missing. */
export function record(section: string, md: string): void {
  const text = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '# Benchmark results\n';
  const start = text.indexOf(`\n${section}`);
  if (start < 0) {
    writeFileSync(RESULTS, `${text.trimEnd()}\n\n${section}\n\n### Runs\n\n${md}`);
    return;
  }
  const next = text.indexOf('\n## ', start + 1);
  const end = next < 0 ? text.length : next + 1;
  writeFileSync(RESULTS, `${text.slice(0, end).trimEnd()}\n\n${md}${next < 0 ? '' : '\n'}${text.slice(end)}`);
}
