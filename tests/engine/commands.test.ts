import { describe, expect, it } from 'vitest';
import { parseDeepLink, recogniseCommand } from '../../src/engine/commands.ts';

const WORDS_SAMPLE: Record<string, string> = {
  ayuda: 'help',
  cancelar: 'cancel',
  menu: 'menu',
  privacidad: 'privacy',
  vincular: 'link-accounts',
  idioma: 'language',
  baja: 'stop',
  broadcast: 'broadcast',
};

describe('commands that work at any step', () => {
  it.each([
    ['ayuda', 'help'],
    ['/ayuda', 'help'],
    ['Help', 'help'],
    ['  CANCELAR ', 'cancel'],
    ['cancel', 'cancel'],
    ['menú', 'menu'],
    ['/menu', 'menu'],
    ['/menu@PlazaBot', 'menu'],
    ['¡Menú!', 'menu'],
    ['/privacidad', 'privacy'],
    ['retirar consentimiento', 'withdraw-consent'],
    ['Withdraw consent', 'withdraw-consent'],
    ['idioma', 'language'],
    ['/start', 'start'],
    ['/stop', 'stop'],
    ['stop', 'stop'],
    ['Baja', 'stop'],
    ['¡Darme de baja!', 'stop'],
    ['unsubscribe', 'stop'],
  ])('"%s" is %s', (text, kind) => {
    expect(recogniseCommand(text)?.kind).toBe(kind);
  });

  it.each([
    'quiero cancelar la cita',
    'ayuda a domicilio para mayores',
    'el menú del comedor escolar',
    '',
    'hola',
    'quiero darme de baja del padrón',
    'stop a los desahucios',
  ])('"%s" is ordinary text', (text) => {
    expect(recogniseCommand(text)).toBeUndefined();
  });

  it('reads deep links and ignores malformed ones', () => {
    expect(recogniseCommand('/start process_como-quieres')).toEqual({
      kind: 'start',
      link: { kind: 'process', slug: 'como-quieres' },
    });
    expect(parseDeepLink('proposal_42')).toEqual({ kind: 'proposal', proposalId: 42 });
    expect(parseDeepLink('proposal_abc')).toBeUndefined();
    expect(parseDeepLink('process_<script>')).toBeUndefined();
    expect(parseDeepLink('proposal_99999999999999')).toBeUndefined();
    expect(recogniseCommand('/start garbage')).toEqual({ kind: 'start', badLink: true });
    expect(recogniseCommand('/start proposal_99999999999999999999')).toEqual({
      kind: 'start',
      badLink: true,
    });
  });

  // Telegram appends the bot's @username to the command word (groups, some clients), arguments or not.
  it('ignores the bot @username right after any command word', () => {
    expect(recogniseCommand('/start@plaza_test_bot proposal_1')).toEqual({
      kind: 'start',
      link: { kind: 'proposal', proposalId: 1 },
    });
    expect(recogniseCommand('/start@PlazaBot  process_como-quieres')).toEqual({
      kind: 'start',
      link: { kind: 'process', slug: 'como-quieres' },
    });
    expect(recogniseCommand('/start@PlazaBot')).toEqual({ kind: 'start', link: undefined });
    expect(recogniseCommand('/difundir@PlazaBot')).toEqual({ kind: 'broadcast' });
    expect(recogniseCommand('/misdatos@plaza_test_bot')).toEqual({ kind: 'my-data' });
    expect(recogniseCommand('/ayuda@PlazaBot!')).toEqual({ kind: 'help' });
    for (const word of Object.keys(WORDS_SAMPLE))
      expect(recogniseCommand(`/${word}@plaza_test_bot`)?.kind).toBe(WORDS_SAMPLE[word]);
  });

  it('keeps an @ elsewhere as text', () => {
    expect(recogniseCommand('ayuda juan@example.org')).toBeUndefined();
    expect(recogniseCommand('/menu @fulano')).toBeUndefined();
  });
});
