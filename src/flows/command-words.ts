// The words that work at any step, in Spanish and English, with or without a leading slash (Telegram style).
// The engine reads a message that is one of them as the command before any question sees it
// (src/engine/commands.ts); flows read them too, so that a button never carries a title that would be taken
// for a command (a proposal called «Ayuda» would open the help, not the proposal).
// Only a whole message counts: "cancelar" is a command, "quiero cancelar la cita" is text.

export type CommandWord =
  | 'help'
  | 'cancel'
  | 'menu'
  | 'privacy'
  | 'withdraw-consent'
  | 'my-data'
  | 'link-accounts'
  | 'language'
  | 'stop';

const WORDS: Record<string, CommandWord> = {
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

/**
 * A message as commands are compared: trimmed, lower-case, one space between words, without the bot's
 * @username after the first word (Telegram adds it in groups and some clients: /ayuda@PlazaBot — only there,
 * so an address in a text stays whole) and without opening ¡¿ or closing .!?¡¿.
 */
export function normaliseCommandText(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/^(\/?[^\s@]+)@\w+(?=\s|[.!?]*$)/, '$1')
    .replace(/^[¡¿]+/, '')
    .replace(/[.!?¡¿]+$/g, '')
    .replace(/\s+/g, ' ');
}

/** The command word a normalised message is (with or without its slash), if it is one. */
export function commandWordOf(normalised: string): CommandWord | undefined {
  return WORDS[normalised.replace(/^\//, '')];
}

/**
 * Whether a message would be read as a command rather than as an answer: a command word, or any `/word`
 * (`/start …`, `/difundir`; Telegram clients show every /word as a command too).
 */
export function readsAsCommand(text: string): boolean {
  const normalised = normaliseCommandText(text);
  return commandWordOf(normalised) !== undefined || /^\/\S/.test(normalised);
}
