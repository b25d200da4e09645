// Telegram's command menu (the «/» button next to the text box): the engine's commands (src/engine/
// command-menu.ts), Spanish for everyone and English for people whose Telegram is in English — Telegram
// picks the list by the user's language_code. Published at every start (setMyCommands replaces the lists,
// so repeating it changes nothing); best effort: a bot without the menu still understands every command.
import { LOCALES, DEFAULT_LOCALE, type Locale } from '../../src/domain/deps.ts';
import type { MenuCommand } from '../../src/engine/command-menu.ts';
import type { Logger } from '../../src/logger.ts';
import type { CallApi } from './outbox.ts';

export async function publishCommandMenu(opts: {
  callApi: CallApi;
  menu: (locale: Locale) => MenuCommand[];
  logger: Logger;
}): Promise<boolean> {
  try {
    for (const locale of LOCALES) {
      // The default list (no language_code) is Spanish, as Plaza's default; the others by language.
      await opts.callApi('setMyCommands', {
        commands: opts.menu(locale),
        ...(locale === DEFAULT_LOCALE ? {} : { language_code: locale }),
      });
    }
    return true;
  } catch (error) {
    const e = error as { code?: unknown; description?: unknown; name?: unknown };
    opts.logger.warn(
      { err: { name: e.name, code: e.code, description: e.description } },
      'telegram: the command menu could not be published (commands still work when typed)',
    );
    return false;
  }
}
