// CPU time of the other processes a turn depends on (PostgreSQL backends, Redis), read from /proc on Linux.
// Approximate: a backend that exits between two readings takes its time with it (the server's pool keeps
// its connections for the whole run, so this matters little). Returns an empty map where /proc is missing.
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ; `getconf CLK_TCK` says 100 on Linux

/** CPU milliseconds (user + system) summed per command name, for the given names. */
export function cpuByCommand(names: string[]): Map<string, number> {
  const totals = new Map<string, number>(names.map((n) => [n, 0]));
  for (const { name, ms } of cpuByProcess(names).values()) totals.set(name, totals.get(name)! + ms);
  return totals;
}

/**
 * CPU milliseconds (user + system) of each process with one of these command names, by pid (empty where
 * /proc is missing). By pid, for readings across which processes come and go (diffCpuByProcess).
 */
export function cpuByProcess(names: string[]): Map<number, { name: string; ms: number }> {
  const byPid = new Map<number, { name: string; ms: number }>();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return byPid;
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
    const name = stat.slice(open + 1, close);
    if (!names.includes(name)) continue;
    // Fields after the command: state is field 3, utime 14, stime 15 (1-based, see proc(5)).
    const fields = stat.slice(close + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    byPid.set(Number(pid), { name, ms: (ticks * 1000) / TICKS_PER_SECOND });
  }
  return byPid;
}

/**
 * CPU milliseconds per command name between two cpuByProcess readings: each process's growth, a new
 * process's whole time. A process that exited in between takes what it used since the first reading with it.
 */
export function diffCpuByProcess(
  before: Map<number, { name: string; ms: number }>,
  after: Map<number, { name: string; ms: number }>,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const [pid, { name, ms }] of after) {
    const was = before.get(pid);
    const grew = was && was.name === name ? ms - was.ms : ms;
    out.set(name, (out.get(name) ?? 0) + Math.max(0, grew));
  }
  return out;
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
