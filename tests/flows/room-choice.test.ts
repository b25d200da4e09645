// The moderators' room takes only unambiguous answers (ROOM_CHOICE, flows/ui.ts): a button (its title), or a
// message that is exactly an option's number, title or synonym. Citizens' prompts (CHOICE) keep reading
// numbers, words and ordinals inside sentences (tests/flows/support.test.ts: "la segunda").
import { describe, expect, it } from 'vitest';
import { exactChoice, toChoices } from '../../src/flows/ui.ts';

const choices = toChoices([
  { value: 'personal-data', title: 'Contiene datos personales' },
  { value: 'insults', title: 'Insultos o faltas de respeto' },
  { value: 'duplicate', title: 'Repetida: ya existe una igual' },
  { value: 'off-topic', title: 'No trata del proceso' },
  { value: 'spam', title: 'Publicidad o spam' },
  { value: 'other', title: 'Otro motivo (escribirlo)', synonyms: ['otro'] },
  { value: 'cancel', title: 'Cancelar', synonyms: ['cancelar', 'cancel'] },
]);
const pick = (text: string) => exactChoice(text, choices)?.value;

describe('the room’s exact choice', () => {
  it('takes exactly a number, a title or a synonym', () => {
    expect(pick('2')).toBe('insults');
    expect(pick(' 2. ')).toBe('insults');
    expect(pick('5)')).toBe('spam');
    expect(pick('Publicidad o spam')).toBe('spam');
    expect(pick('PUBLICIDAD O SPAM!')).toBe('spam');
    expect(pick('repetida ya existe una igual')).toBe('duplicate');
    expect(pick('Otro motivo (escribirlo)')).toBe('other');
    expect(pick('otro')).toBe('other');
    expect(pick('Cancelar')).toBe('cancel');
  });

  it('finds nothing inside chat', () => {
    for (const chat of [
      'dame 2 minutos y lo miro',
      '¿alguien ha visto la 12?',
      'la segunda',
      'segunda',
      'spam',
      'esto es spam seguro',
      'insultos o faltas de respeto hay muchos',
      '8',
      '0',
      '',
      '🙂',
      'duplicate',
    ])
      expect(pick(chat), chat).toBeUndefined();
  });

  it('does not mind accents or case', () => {
    const accented = toChoices([{ value: 'yes', title: 'Sí, rechazar' }]);
    expect(exactChoice('si rechazar', accented)?.value).toBe('yes');
    expect(exactChoice('SÍ, RECHAZAR', accented)?.value).toBe('yes');
  });
});
