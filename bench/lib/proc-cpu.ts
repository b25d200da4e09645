// CPU time of the other processes a turn depends on (PostgreSQL backends, Redis), read from /proc on Linux.
// Approximate: a backend that exits between two readings takes its time with it (the server's pool keeps
// its connections for the whole run, so this matters little). Returns an empty map where /proc is missing.
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ; `getconf CLK_TCK` says 100 on Linux

/** CPU milliseconds (user + system) summed per command name, for the given names. */
export function cpuByCommand(names: string[]): Map<string, number> {
  const totals = new Map<string, number>(names.map((n) => [n, 0]));
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return new Map();
  }
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    const open = stat.indexOf('(');
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(open + 1, close);
    if (!totals.has(comm)) continue;
    // Fields after the command: state is field 3, utime 14, stime 15 (1-based, see proc(5)).
    const fields = stat.slice(close + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    totals.set(comm, totals.get(comm)! + (ticks * 1000) / TICKS_PER_SECOND);
  }
  return totals;
}

export function diffCpu(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  return new Map([...after.entries()].map(([k, v]) => [k, v - (before.get(k) ?? 0)]));
}

/** CPU milliseconds the whole machine spent busy (all cores; everything but idle and iowait), from /proc/stat. */
export function machineBusyMs(): number {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const [, ...fields] = line.trim().split(/\s+/);
    const [user, nice, system, , , irq, softirq, steal] = fields.map(Number) as number[];
    return (
      (((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) * 1000) /
      TICKS_PER_SECOND
    );
  } catch {
    return NaN;
  }
}
