// The commands a channel may list in a menu of its own (Telegram's «/» button), per language: the words of
// src/flows/command-words.ts that work at any step, each with one line saying what it does. Every command
// listed is one the engine recognises (recogniseCommand), in the language it is listed for.
import type { Locale } from '../domain/deps.ts';
import type { CommandWord } from '../flows/command-words.ts';
import { t, type MessageKey } from '../i18n/index.ts';

export interface MenuCommand {
  /** Without its slash: lower-case letters, digits and underscores, as Telegram requires. */
  command: string;
  description: string;
}

const MENU: { kind: CommandWord; key: MessageKey; word: Record<Locale, string> }[] = [
  { kind: 'menu', key: 'commandMenu.menu', word: { es: 'menu', en: 'menu' } },
  { kind: 'help', key: 'commandMenu.help', word: { es: 'ayuda', en: 'help' } },
  { kind: 'my-data', key: 'commandMenu.myData', word: { es: 'misdatos', en: 'mydata' } },
  { kind: 'privacy', key: 'commandMenu.privacy', word: { es: 'privacidad', en: 'privacy' } },
  { kind: 'language', key: 'commandMenu.language', word: { es: 'idioma', en: 'language' } },
  { kind: 'link-accounts', key: 'commandMenu.link', word: { es: 'vincular', en: 'link' } },
  { kind: 'stop', key: 'commandMenu.stop', word: { es: 'baja', en: 'stop' } },
  { kind: 'cancel', key: 'commandMenu.cancel', word: { es: 'cancelar', en: 'cancel' } },
];

export function commandMenu(locale: Locale): MenuCommand[] {
  return MENU.map((m) => ({ command: m.word[locale], description: t(locale, m.key) }));
}

/** What each listed command is (for tests: every one must be recognised as this). */
export const MENU_COMMAND_KINDS: readonly CommandWord[] = MENU.map((m) => m.kind);
