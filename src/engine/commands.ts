// Commands: the words of src/flows/command-words.ts, which work at any step, and Telegram's /start with its
// deep link. Only a whole message counts: "cancelar" is a command, "quiero cancelar la cita" is text.
import type { DeepLink } from '../flows/index.ts';
import { commandWordOf, normaliseCommandText, type CommandWord } from '../flows/command-words.ts';

export type Command =
  | { kind: CommandWord }
  | { kind: 'broadcast' }
  /** `badLink`: a payload came that is no deep link (mistyped, cut short, too long a number). */
  | { kind: 'start'; link?: DeepLink; badLink?: true };

export function recogniseCommand(text: string | undefined): Command | undefined {
  if (!text) return undefined;
  const normalised = normaliseCommandText(text);
  const start = /^\/start(?:\s+(\S+))?$/.exec(normalised);
  if (start) {
    const link = parseDeepLink(start[1]);
    return start[1] !== undefined && !link ? { kind: 'start', badLink: true } : { kind: 'start', link };
  }
  // Staff only, and only with the slash: a citizen's "difundir" in a text is just a word.
  if (normalised === '/difundir' || normalised === '/broadcast') return { kind: 'broadcast' };
  const kind = commandWordOf(normalised);
  return kind ? { kind } : undefined;
}

/** Deep-link payloads: `process_<slug>` and `proposal_<id>`; anything else is ignored. */
export function parseDeepLink(payload: string | undefined): DeepLink | undefined {
  if (!payload) return undefined;
  const process = /^process_([a-z0-9-]{1,60})$/.exec(payload);
  if (process) return { kind: 'process', slug: process[1]! };
  const proposal = /^proposal_(\d{1,9})$/.exec(payload);
  if (proposal) return { kind: 'proposal', proposalId: Number(proposal[1]) };
  return undefined;
}
