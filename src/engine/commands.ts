// Words that work at any step, in Spanish and English, with or without a leading slash (Telegram style).
// Only a whole message counts: "cancelar" is a command, "quiero cancelar la cita" is text.
import type { DeepLink } from '../flows/index.ts';

export type Command =
  | { kind: 'help' }
  | { kind: 'cancel' }
  | { kind: 'menu' }
  | { kind: 'privacy' }
  | { kind: 'withdraw-consent' }
  | { kind: 'my-data' }
  | { kind: 'link-accounts' }
  | { kind: 'language' }
  | { kind: 'stop' }
  | { kind: 'broadcast' }
  /** `badLink`: a payload came that is no deep link (mistyped, cut short, too long a number). */
  | { kind: 'start'; link?: DeepLink; badLink?: true };

const WORDS: Record<string, Exclude<Command['kind'], 'start'>> = {
  ayuda: 'help',
  help: 'help',
  '?': 'help',
  cancelar: 'cancel',
  cancel: 'cancel',
  salir: 'cancel',
  menu: 'menu',
  menú: 'menu',
  inicio: 'menu',
  privacidad: 'privacy',
  privacy: 'privacy',
  'retirar consentimiento': 'withdraw-consent',
  'withdraw consent': 'withdraw-consent',
  // The rights of access and portability: «mis datos», /misdatos.
  misdatos: 'my-data',
  'mis datos': 'my-data',
  mydata: 'my-data',
  'my data': 'my-data',
  // One person, one vote across channels: «vincular cuentas», /vincular.
  vincular: 'link-accounts',
  'vincular cuentas': 'link-accounts',
  link: 'link-accounts',
  'link accounts': 'link-accounts',
  idioma: 'language',
  language: 'language',
  // Stop every process update (broadcasts), as the subscription question promises: «baja».
  stop: 'stop',
  baja: 'stop',
  'darme de baja': 'stop',
  unsubscribe: 'stop',
};

export function recogniseCommand(text: string | undefined): Command | undefined {
  if (!text) return undefined;
  const normalised = text
    .trim()
    .toLowerCase()
    // Telegram adds the bot's @username to the command word in groups and some clients: /ayuda@PlazaBot,
    // /start@PlazaBot proposal_1. Only right after the first word, so an address in a text stays whole.
    .replace(/^(\/?[^\s@]+)@\w+(?=\s|[.!?]*$)/, '$1')
    .replace(/^[¡¿]+/, '')
    .replace(/[.!?¡¿]+$/g, '')
    .replace(/\s+/g, ' ');
  const start = /^\/start(?:\s+(\S+))?$/.exec(normalised);
  if (start) {
    const link = parseDeepLink(start[1]);
    return start[1] !== undefined && !link ? { kind: 'start', badLink: true } : { kind: 'start', link };
  }
  // Staff only, and only with the slash: a citizen's "difundir" in a text is just a word.
  if (normalised === '/difundir' || normalised === '/broadcast') return { kind: 'broadcast' };
  const kind = WORDS[normalised.replace(/^\//, '')];
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
