import { describe, expect, it } from 'vitest';
import { isValidIban } from '../../../src/domain/moderation/iban.ts';
import { textSimilarity } from '../../../src/domain/moderation/similarity.ts';
import { dniLetter, isValidDni, isValidNie } from '../../../src/domain/moderation/spanish-ids.ts';

describe('Spanish IDs', () => {
  it.each([
    [12345678, 'Z'],
    [0, 'T'],
    [22, 'E'],
    [23, 'T'],
  ])('the check letter of %i is %s', (n, letter) => {
    expect(dniLetter(n)).toBe(letter);
  });

  it.each([
    ['12345678Z', true],
    ['12345678z', true],
    ['12345678A', false],
    ['1234567Z', false],
    ['12345678', false],
  ])('DNI %s valid: %s', (value, valid) => {
    expect(isValidDni(value)).toBe(valid);
  });

  it.each([
    ['X1234567L', true],
    ['Y1234567X', true],
    ['Z1234567R', true],
    ['X1234567T', false],
    ['W1234567L', false],
  ])('NIE %s valid: %s', (value, valid) => {
    expect(isValidNie(value)).toBe(valid);
  });
});

describe('IBAN', () => {
  it.each([
    ['ES9121000418450200051332', true],
    ['ES9121000418450200051333', false],
    ['ES9221000418450200051332', false],
    ['ES912100041845020005133', false],
    ['GB82WEST12345698765432', true],
    ['DE89370400440532013000', true],
    ['es9121000418450200051332', false],
  ])('%s valid: %s', (value, valid) => {
    expect(isValidIban(value)).toBe(valid);
  });
});

describe('text similarity (trigram cosine)', () => {
  it.each([
    ['Más bancos en la plaza', 'MAS BANCOS EN LA PLAZA!', 1],
    ['abc', 'xyz', 0],
    ['', 'algo', 0],
  ])('of %j and %j is %f', (a, b, score) => {
    expect(textSimilarity(a, b)).toBeCloseTo(score, 6);
  });

  it('is symmetric and ranks a small edit above a different topic', () => {
    const a = 'Más bancos y sombra en la plaza del barrio';
    const near = 'Mas bancos y sombras en la plaza del barrio';
    const far = 'Abrir la biblioteca los domingos';
    expect(textSimilarity(a, near)).toBeCloseTo(textSimilarity(near, a), 12);
    expect(textSimilarity(a, near)).toBeGreaterThan(0.8);
    expect(textSimilarity(a, far)).toBeLessThan(0.4);
  });
});
