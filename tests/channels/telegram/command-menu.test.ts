// Telegram's «/» menu: every command listed is one Plaza recognises, in the language it is listed for, and
// within Telegram's limits; publishing is best effort.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { createBotApi } from '../../../channels/telegram/bot-api.ts';
import { publishCommandMenu } from '../../../channels/telegram/command-menu.ts';
import { commandMenu, MENU_COMMAND_KINDS } from '../../../src/engine/command-menu.ts';
import { recogniseCommand } from '../../../src/engine/commands.ts';
import { createLogger } from '../../../src/logger.ts';
import { startFakeBotApi, type FakeBotApi } from '../../fakes/telegram-bot-api.ts';
import { BOT_TOKEN } from './harness.ts';

let fake: FakeBotApi;
beforeAll(async () => {
  fake = await startFakeBotApi({ token: BOT_TOKEN });
});
afterAll(() => fake?.close());

describe('the command menu', () => {
  it('lists, in Spanish by default and in English for English users, commands Plaza recognises', async () => {
    const api = createBotApi({ token: BOT_TOKEN, apiRoot: fake.apiRoot });
    const logger = createLogger('silent');
    expect(await publishCommandMenu({ callApi: api.callApi, menu: commandMenu, logger })).toBe(true);
    const calls = fake.callsOf('setMyCommands');
    expect(calls.map((c) => [c.response.ok, c.params.language_code])).toEqual([
      [true, undefined],
      [true, 'en'],
    ]);
    const [es, en] = calls.map((c) => c.params.commands as { command: string; description: string }[]);
    expect(es!.map((c) => c.command)).toEqual([
      'menu',
      'ayuda',
      'misdatos',
      'privacidad',
      'idioma',
      'vincular',
      'baja',
      'cancelar',
    ]);
    expect(en!.map((c) => c.command)).toEqual([
      'menu',
      'help',
      'mydata',
      'privacy',
      'language',
      'link',
      'stop',
      'cancel',
    ]);
    for (const list of [es!, en!])
      list.forEach((c, i) => {
        expect(recogniseCommand(`/${c.command}`), c.command).toEqual({ kind: MENU_COMMAND_KINDS[i] });
        expect(c.description.length).toBeGreaterThan(3);
      });
    expect(es![1]!.description).toMatch(/Qué puedo hacer/);
    expect(en![1]!.description).toMatch(/What I can do/);
  });

  it('a refusal is logged as a warning, never thrown: commands still work typed', async () => {
    const lines: string[] = [];
    const logger = createLogger(
      'warn',
      new Writable({
        write(chunk, _e, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    const api = createBotApi({ token: BOT_TOKEN, apiRoot: fake.apiRoot });
    fake.failNext('setMyCommands', { error_code: 500, description: 'Internal Server Error' }, 1);
    expect(await publishCommandMenu({ callApi: api.callApi, menu: commandMenu, logger })).toBe(false);
    expect(lines.join('')).toMatch(/command menu could not be published/);
    expect(lines.join('')).not.toContain(BOT_TOKEN);
  });
});
