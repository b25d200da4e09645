// Servers under test run in a child process of their own (forked with the same TypeScript loader as the
// bench), so the load generator and the server do not share one event loop. They talk over IPC:
// the child announces `{ type: 'ready', ... }`, then answers `{ id, cmd, args }` requests with `{ id, result }`
// or `{ id, error }`.
import { fork, type ChildProcess } from 'node:child_process';

export interface ChildServer<Ready> {
  ready: Ready;
  pid: number;
  call<T = unknown>(cmd: string, args?: unknown): Promise<T>;
  /** Asks the child to close and waits for it to exit (kills it after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

type Reply = { id: number; result?: unknown; error?: string };

/** Anything that exchanges IPC messages with a process: a ChildProcess or a cluster Worker. */
export interface IpcEndpoint {
  send(message: unknown): unknown;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  once(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): unknown;
}

export interface Rpc<Ready> {
  ready: Promise<Ready>;
  call<T = unknown>(cmd: string, args?: unknown): Promise<T>;
  exited: Promise<void>;
  hasExited(): boolean;
}

/** The caller's side of the protocol described above, over any IPC endpoint. */
export function connectRpc<Ready>(endpoint: IpcEndpoint, readyTimeoutMs = 120_000): Rpc<Ready> {
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let exited = false;
  let settleReady: { resolve: (r: Ready) => void; reject: (e: Error) => void } | undefined;
  const ready = new Promise<Ready>((resolve, reject) => (settleReady = { resolve, reject }));
  const timer = setTimeout(
    () => settleReady?.reject(new Error('server did not become ready')),
    readyTimeoutMs,
  );
  const exitedPromise = new Promise<void>((resolve) =>
    endpoint.once('exit', (code, signal) => {
      exited = true;
      clearTimeout(timer);
      settleReady?.reject(new Error(`server exited before ready (${code ?? signal})`));
      for (const p of pending.values()) p.reject(new Error(`server exited (${code ?? signal})`));
      pending.clear();
      resolve();
    }),
  );
  endpoint.on('message', (raw) => {
    const message = raw as { type?: string; error?: unknown } & Reply;
    if (message.type === 'ready') {
      clearTimeout(timer);
      settleReady?.resolve(message as unknown as Ready);
      return;
    }
    if (message.type === 'failed') {
      clearTimeout(timer);
      settleReady?.reject(new Error(`server failed: ${String(message.error)}`));
      return;
    }
    const p = pending.get(message.id);
    if (!p) return;
    pending.delete(message.id);
    if (message.error !== undefined) p.reject(new Error(String(message.error)));
    else p.resolve(message.result);
  });
  return {
    ready,
    exited: exitedPromise,
    hasExited: () => exited,
    call<T>(cmd: string, args?: unknown): Promise<T> {
      if (exited) return Promise.reject(new Error('server has exited'));
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        endpoint.send({ id, cmd, args });
      });
    },
  };
}

export async function startChild<Ready>(
  modulePath: string,
  env: Record<string, string>,
  opts: { execArgv?: string[]; readyTimeoutMs?: number } = {},
): Promise<ChildServer<Ready>> {
  // process.execArgv carries tsx's loader (the bench runs under tsx), so the child can load .ts too.
  const child: ChildProcess = fork(modulePath, [], {
    env: { ...process.env, ...env },
    execArgv: [...process.execArgv, ...(opts.execArgv ?? [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const rpc = connectRpc<Ready>(child, opts.readyTimeoutMs);
  const ready = await rpc.ready;
  return {
    ready,
    pid: child.pid ?? -1,
    call: rpc.call,
    async stop(graceMs = 20_000) {
      if (rpc.hasExited()) return;
      child.send({ id: 0, cmd: 'close' });
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await rpc.exited;
      clearTimeout(timer);
    },
  };
}

/** The child's side: announce readiness, answer requests; `close` runs `onClose` and exits. */
export function serveIpc(
  handlers: Record<string, (args: unknown) => unknown>,
  onClose: () => Promise<void>,
): void {
  process.on('message', (raw) => {
    const { id, cmd, args } = raw as { id: number; cmd: string; args?: unknown };
    if (cmd === 'close') {
      void onClose().finally(() => process.exit(0));
      return;
    }
    const handler = handlers[cmd];
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`unknown command ${cmd}`);
        return handler(args);
      })
      .then(
        (result) => process.send?.({ id, result }),
        (error: unknown) =>
          process.send?.({ id, error: error instanceof Error ? error.message : String(error) }),
      );
  });
  // The parent went away (Ctrl-C, crash): do not linger.
  process.on('disconnect', () => void onClose().finally(() => process.exit(0)));
}

/** Resource use of this process, for the parent to difference between two points in time. */
export function resourceSnapshot() {
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  return {
    rss: memory.rss,
    heapUsed: memory.heapUsed,
    maxRss: process.resourceUsage().maxRSS * 1024,
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
}
export type ResourceSnapshot = ReturnType<typeof resourceSnapshot>;
