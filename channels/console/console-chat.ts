// `plaza chat`: the same engine from a terminal. Each line is a message; buttons are printed numbered and
// can be answered with their number or words, as in any channel.
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { userInfo } from 'node:os';
import type { OutboundActivity, TurnRunner } from '../../src/engine/types.ts';

export interface ConsoleChatOptions {
  engine: TurnRunner;
  input: Readable;
  output: Writable;
  /** Identifies the person across runs; default: the operating-system user. */
  userId?: string;
  locale?: string;
}

export function renderForConsole(activity: OutboundActivity): string {
  const lines: string[] = [];
  if (activity.text) lines.push(activity.text);
  const actions = activity.suggestedActions?.actions ?? [];
  actions.forEach((a, i) => lines.push(`  ${i + 1}) ${a.title ?? a.value}`));
  return lines.join('\n');
}

/** Runs until the input ends. Resolves when the last turn has been answered. */
export async function runConsoleChat(opts: ConsoleChatOptions): Promise<void> {
  const userId = opts.userId ?? `console-${userInfo().username}`;
  const base = {
    channelId: 'console',
    conversation: { id: userId },
    from: { id: userId },
    recipient: { id: 'plaza', name: 'Plaza' },
    locale: opts.locale ?? 'es-ES',
  };
  let seq = 0;
  const write = (text: string) => opts.output.write(`${text}\n`);
  const turn = async (activity: Record<string, unknown>) => {
    try {
      const replies = await opts.engine.runTurn({
        ...base,
        ...activity,
        id: `${userId}-${Date.now()}-${++seq}`,
      } as never);
      for (const r of replies) write(`\nPlaza: ${renderForConsole(r)}`);
    } catch (error) {
      write(`\n(!) ${(error as Error).message}`);
    }
    write('');
  };
  await turn({ type: 'event', name: 'webchat/join' });
  const rl = createInterface({ input: opts.input, terminal: false });
  for await (const line of rl) {
    if (line.trim() === '') continue;
    await turn({ type: 'message', text: line });
  }
}
