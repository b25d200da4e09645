// CPU profiling of a server child for exactly the measured phase (the inspector's sampling profiler, the
// same one `--cpu-prof` uses), and a summary of a .cpuprofile: self time by function, and by module both
// self and inclusive (time with that module anywhere on the stack).
import { Session } from 'node:inspector/promises';
import { writeFile } from 'node:fs/promises';

export class PhaseProfiler {
  private session?: Session;

  async start(samplingIntervalUs = 500): Promise<void> {
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: samplingIntervalUs });
    await session.post('Profiler.start');
    this.session = session;
  }

  /** Stops, writes the profile to `file` (open it in Chrome DevTools or speedscope) and returns it. */
  async stop(file: string): Promise<CpuProfile> {
    if (!this.session) throw new Error('profiler not started');
    const { profile } = (await this.session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
    this.session.disconnect();
    this.session = undefined;
    await writeFile(file, JSON.stringify(profile));
    return profile;
  }
}

export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
    children?: number[];
  }[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileRow {
  name: string;
  ms: number;
  share: number;
}

/** Which package or project file a frame belongs to. */
export function moduleOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native/V8 builtins)';
  if (url.startsWith('node:')) return 'node: core';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const project = /\/(src|channels|bench|tests)\/(.*)$/.exec(url);
  if (project) {
    const parts = project[2]!.split('/');
    return `${project[1]}/${parts.length > 1 ? parts.slice(0, -1).join('/') + '/' : ''}${parts.at(-1)}`;
  }
  return url.replace(/^file:\/\//, '');
}

export function summarizeProfile(profile: CpuProfile, top = 12) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfByFunction = new Map<string, number>();
  const selfByModule = new Map<string, number>();
  const inclusiveByModule = new Map<string, number>();
  const ownedByModule = new Map<string, number>();
  const generic = (m: string) => m === 'node: core' || m === '(native/V8 builtins)' || m === '(program)';
  let total = 0;
  let idle = 0;
  profile.samples.forEach((nodeId, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    const node = byId.get(nodeId);
    if (!node) return;
    total += dt;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idle += dt;
      return;
    }
    const mod = moduleOf(url, functionName);
    const fn = `${functionName || '(anonymous)'} ${mod}${url ? `:${lineNumber + 1}` : ''}`;
    selfByFunction.set(fn, (selfByFunction.get(fn) ?? 0) + dt);
    selfByModule.set(mod, (selfByModule.get(mod) ?? 0) + dt);
    const seen = new Set<string>();
    let owner: string | undefined;
    for (let id: number | undefined = nodeId; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)!.callFrame;
      if (frame.functionName === '(root)') continue;
      const m = moduleOf(frame.url, frame.functionName);
      seen.add(m);
      if (owner === undefined && !generic(m)) owner = m;
    }
    owner ??= mod;
    ownedByModule.set(owner, (ownedByModule.get(owner) ?? 0) + dt);
    for (const m of seen) inclusiveByModule.set(m, (inclusiveByModule.get(m) ?? 0) + dt);
  });
  const busy = total - idle;
  const rows = (m: Map<string, number>): ProfileRow[] =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, v]) => ({ name, ms: v, share: busy > 0 ? v / busy : 0 }));
  return {
    totalMs: total,
    busyMs: busy,
    idleMs: idle,
    selfByFunction: rows(selfByFunction),
    selfByModule: rows(selfByModule),
    ownedByModule: rows(ownedByModule),
    inclusiveByModule: rows(inclusiveByModule),
  };
}
export type ProfileSummary = ReturnType<typeof summarizeProfile>;

export function profileMarkdown(s: ProfileSummary): string {
  const table = (title: string, rows: ProfileRow[]) =>
    [
      `| ${title} | ms | % of busy |`,
      '|---|---:|---:|',
      ...rows.map(
        (r) =>
          `| \`${r.name.replaceAll('|', '\\|')}\` | ${r.ms.toFixed(0)} | ${(r.share * 100).toFixed(1)} |`,
      ),
    ].join('\n');
  return [
    `Profiled ${s.totalMs.toFixed(0)} ms of the server's main thread: busy ${s.busyMs.toFixed(0)} ms, idle ${s.idleMs.toFixed(0)} ms.`,
    '',
    table('Self time by function', s.selfByFunction),
    '',
    table('Self time by module', s.selfByModule),
    '',
    table(
      'Self time charged to the nearest package or project file on the stack (node core and V8 builtins charged to their caller)',
      s.ownedByModule,
    ),
    '',
    table('Inclusive time by module (on the stack)', s.inclusiveByModule),
  ].join('\n');
}
