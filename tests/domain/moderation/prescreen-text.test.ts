import { describe, expect, it } from 'vitest';
import {
  type Finding,
  NEAR_DUPLICATE_THRESHOLD,
  prescreenText,
  redactAll,
} from '../../../src/domain/moderation/prescreen-text.ts';

const TABLE = 'TRWAGMYFPDXBNJZSQVHLCKE';
const validDni = (n: number) => `${String(n).padStart(8, '0')}${TABLE[n % 23]}`;
const wrongDni = (n: number) => `${String(n).padStart(8, '0')}${TABLE[(n + 1) % 23]}`;

const personal = (text: string) =>
  prescreenText({ text }).flatMap((f) =>
    f.kind === 'personal-data' ? [{ what: f.what, found: text.slice(f.start, f.end) }] : [],
  );
const insults = (text: string) =>
  prescreenText({ text }).flatMap((f) =>
    f.kind === 'insult' ? [{ word: f.word, found: text.slice(f.start, f.end) }] : [],
  );
const kinds = (text: string) => prescreenText({ text }).map((f) => f.kind);

describe('prescreenText: personal data', () => {
  it.each([
    // Spanish phones, with and without the country code.
    ['Llámame al 612345678', 'phone', '612345678'],
    ['Llámame al 612 345 678 por la tarde', 'phone', '612 345 678'],
    ['Tel.: 612.34.56.78', 'phone', '612.34.56.78'],
    ['Call 712-345-678', 'phone', '712-345-678'],
    ['Fijo: 91 123 45 67.', 'phone', '91 123 45 67'],
    ['Móvil +34 612 345 678', 'phone', '+34 612 345 678'],
    ['Móvil +34612345678', 'phone', '+34612345678'],
    ['Móvil 0034 612-34-56-78', 'phone', '0034 612-34-56-78'],
    // International phones.
    ['Call me on +44 20 7946 0958', 'phone', '+44 20 7946 0958'],
    ['Mon numéro: +33 6 12 34 56 78', 'phone', '+33 6 12 34 56 78'],
    ['Ring +1 415 555 2671 tomorrow', 'phone', '+1 415 555 2671'],
    // E-mail addresses.
    ['Escribidme a ana.perez@example.com.', 'email', 'ana.perez@example.com'],
    ['Mail JOHN+plaza@mail.co.uk please', 'email', 'JOHN+plaza@mail.co.uk'],
    // DNI and NIE with a valid check letter.
    ['Mi DNI es 12345678Z', 'dni', '12345678Z'],
    ['Mi DNI es 12.345.678-Z', 'dni', '12.345.678-Z'],
    ['Mi DNI es 12345678 Z', 'dni', '12345678 Z'],
    ['dni 12345678z', 'dni', '12345678z'],
    [`My ID is ${validDni(87654321)}`, 'dni', validDni(87654321)],
    [`DNI ${validDni(1234)}`, 'dni', validDni(1234)],
    ['NIE X1234567L', 'nie', 'X1234567L'],
    ['NIE x-1234567-L', 'nie', 'x-1234567-L'],
    ['NIE x1234567l', 'nie', 'x1234567l'],
    ['NIE Y1234567X', 'nie', 'Y1234567X'],
    ['NIE Z1234567R', 'nie', 'Z1234567R'],
    // IBANs with a valid checksum.
    ['IBAN ES9121000418450200051332', 'iban', 'ES9121000418450200051332'],
    ['Cuenta ES91 2100 0418 4502 0005 1332 gracias', 'iban', 'ES91 2100 0418 4502 0005 1332'],
    ['Account GB82 WEST 1234 5698 7654 32.', 'iban', 'GB82 WEST 1234 5698 7654 32'],
    ['Konto DE89370400440532013000', 'iban', 'DE89370400440532013000'],
  ])('finds in %j a %s: %j', (text, what, found) => {
    expect(personal(text)).toEqual([{ what, found }]);
  });

  it.each([
    ['a date', 'Nos vemos el 12/05/2024 a las 18:30'],
    ['an ISO date', 'Reunión 2024-05-12, 2025.01.31'],
    ['a price with decimals', 'Cuesta 1.500,00 € al año'],
    ['a price in euros', 'Un presupuesto de 3.000 euros, o 250.000 EUR'],
    ['a nine-digit price', 'El proyecto costó 600.000.000 € en total'],
    ['years', 'Entre 1998 y 2024 se hicieron 12 obras'],
    ['a postcode and small numbers', 'Calle Mayor 5, 3º B, 28013 Madrid, portal 2 piso 4'],
    ['six digits', 'Expediente 612345'],
    ['ten digits', 'Referencia 6123456789'],
    ['twelve digits', 'Referencia 612345678901 y 9123 4567 8901'],
    ['a nine-digit number starting with 1-5', 'Código 512345678'],
    ['a DNI with a wrong letter', `DNI ${wrongDni(12345678)} y ${wrongDni(87654321)}`],
    ['a NIE with a wrong letter', 'NIE X1234567A'],
    ['a lowercase letter set apart from the number', 'Son 12345678 z o 87654321 y'],
    ['an IBAN with a changed digit', 'IBAN ES9121000418450200051333 / ES91 2100 0418 4502 0005 1342'],
    ['an IBAN too short for its country', 'ES91 2100 0418 4502 0005'],
    ['a plus sign before an amount', 'Más de +1.000.000 personas, +10 000 000 visitas'],
    ['an at sign without a domain', 'Nos vemos @ la plaza, @ayuntamiento'],
  ])('flags nothing in %s', (_what, text) => {
    expect(personal(text)).toEqual([]);
  });

  it('finds several kinds, each by its span alone (no copy of the text), and redactAll replaces them', () => {
    const text = 'Soy Ana (12345678Z), llamad al 612 345 678 o escribid a ana@example.com';
    const found = prescreenText({ text }).filter((f) => f.kind === 'personal-data');
    expect(found).toEqual([
      { kind: 'personal-data', what: 'dni', start: 9, end: 18 },
      { kind: 'personal-data', what: 'phone', start: 31, end: 42 },
      { kind: 'personal-data', what: 'email', start: 56, end: 71 },
    ]);
    expect(redactAll(text, found)).toBe('Soy Ana ([DNI]), llamad al [teléfono] o escribid a [correo]');
    // One finding's redaction, for whoever needs it, is computed from the text, not stored.
    expect(redactAll(text, [found[1]!])).toBe(
      'Soy Ana (12345678Z), llamad al [teléfono] o escribid a ana@example.com',
    );
  });

  it('redacts every kind, and leaves a text without personal data as it was', () => {
    const text = 'NIE X1234567L, IBAN ES91 2100 0418 4502 0005 1332, móvil +34612345678, 3.000 €';
    expect(redactAll(text, prescreenText({ text }))).toBe(
      'NIE [NIE], IBAN [IBAN], móvil [teléfono], 3.000 €',
    );
    expect(redactAll('Más bancos en el parque', prescreenText({ text: 'Más bancos en el parque' }))).toBe(
      'Más bancos en el parque',
    );
  });

  it('does not report a phone inside an IBAN or an e-mail address', () => {
    expect(personal('612345678@example.com')).toEqual([{ what: 'email', found: '612345678@example.com' }]);
  });
});

describe('prescreenText: insults', () => {
  it.each([
    ['Eres un idiota', 'idiota', 'idiota'],
    ['ERES UN IDIOTA', 'idiota', 'IDIOTA'],
    ['Qué imbécil', 'imbécil', 'imbécil'],
    ['Qué imbecil', 'imbécil', 'imbecil'],
    ['Qué ÍMBÉCÍL', 'imbécil', 'ÍMBÉCÍL'],
    ['Eres un idiotaaa', 'idiota', 'idiotaaa'],
    ['Eres un iiiidiota', 'idiota', 'iiiidiota'],
    ['1d10t4 es lo que eres', 'idiota', '1d10t4'],
    ['menudo g1l1p0ll4s', 'gilipollas', 'g1l1p0ll4s'],
    ['el concejal es un put@ desastre', 'puta', 'put@'],
    ['Imb3c1l', 'imbécil', 'Imb3c1l'],
    ['Es un hijo de puta.', 'hijo de puta', 'hijo de puta'],
    ['You are an idiot.', 'idiot', 'idiot'],
    ['what a MORONNN', 'moron', 'MORONNN'],
    ['sh1t idea', 'shit', 'sh1t'],
    ['you son of a bitch', 'son of a bitch', 'son of a bitch'],
  ])('finds in %j the insult %j as %j', (text, word, found) => {
    expect(insults(text)).toEqual([{ word, found }]);
  });

  it.each([
    ['Scunthorpe is a town in Lincolnshire'],
    ['Hay una disputa sobre la computadora del ayuntamiento'],
    ['Su reputación y el imputado'],
    ['Esto es una idiotez'],
    ['Our class will assess the cocktail menu'],
    ['Mi tontería favorita'],
    ['Shiitake mushrooms at the Essex market'],
    ['En 2024 hubo 3000 personas y 100 bancos'],
  ])('finds no insult in the innocent %j', (text) => {
    expect(insults(text)).toEqual([]);
  });

  it('reports each occurrence with its span', () => {
    const text = 'Idiota, más que idiota: IDIOTAAAA';
    expect(prescreenText({ text }).filter((f) => f.kind === 'insult')).toEqual([
      { kind: 'insult', word: 'idiota', start: 0, end: 6 },
      { kind: 'insult', word: 'idiota', start: 16, end: 22 },
      { kind: 'insult', word: 'idiota', start: 24, end: 33 },
    ]);
  });
});

describe('prescreenText: shouting and repeated characters', () => {
  it.each([
    ['QUEREMOS MÁS BANCOS EN LA PLAZA', true],
    ['QUEREMOS MÁS BANCOS EN la plaza YA', true],
    ['WE WANT MORE BENCHES', true],
    ['Queremos más bancos en la plaza', false],
    ['QUEREMOS MÁS', false],
    ['La EMT y la DGT con el IBAN ES9121000418450200051332', false],
    ['QUEREMOS más bancos en la plaza', false],
  ])('on %j says shouting: %s', (text, shouting) => {
    expect(kinds(text).includes('shouting')).toBe(shouting);
  });

  it.each([
    ['¡¡Queremos bancos!!!!!', [[17, 22]]],
    ['¿Por qué?????', [[8, 13]]],
    [
      'Nooooooo, y siiiiii',
      [
        [1, 8],
        [13, 19],
      ],
    ],
    ['Que síííí, que sí', []],
    ['Cuesta 100000 euros', []],
    ['Bien!!!! hecho', []],
  ])('in %j finds repeated characters at %j', (text, spans) => {
    const found = prescreenText({ text }).flatMap((f) =>
      f.kind === 'repeated-characters' ? [[f.start, f.end]] : [],
    );
    expect(found).toEqual(spans);
  });
});

describe('prescreenText: near-duplicates', () => {
  const text = 'Queremos más carriles bici en el centro de la ciudad para ir al trabajo con seguridad';
  const others = [
    { id: 1, text: 'Pedimos que abran la biblioteca municipal los domingos por la tarde' },
    { id: 2, text: 'Queremos mas carriles bici en el centro de la ciudad para ir a trabajar seguros' },
    { id: 3, text: 'Que arreglen las farolas del parque de la ciudad para ir seguros por la noche' },
    { id: 4, text: 'QUEREMOS MÁS CARRILES BICI EN EL CENTRO DE LA CIUDAD PARA IR AL TRABAJO CON SEGURIDAD' },
    { id: 5, text: 'Más carriles bici en el centro de la ciudad, para ir al trabajo con seguridad' },
    { id: 6, text: 'Carriles bici en el centro de la ciudad para ir al trabajo' },
    { id: 7, text: '' },
  ];

  it('names the closest ones, at most three, most similar first', () => {
    const found = prescreenText({ text, others }).find((f) => f.kind === 'near-duplicate');
    expect(found).toBeDefined();
    const matches = (found as Extract<Finding, { kind: 'near-duplicate' }>).matches;
    expect(matches.map((m) => m.id)).toEqual([4, 5, 2]);
    expect(matches[0]!.score).toBe(1);
    for (const m of matches) expect(m.score).toBeGreaterThanOrEqual(NEAR_DUPLICATE_THRESHOLD);
    expect(matches[1]!.score).toBeGreaterThanOrEqual(matches[2]!.score);
  });

  it('reports nothing when no other text is close enough, or there are none', () => {
    const far = others.filter((o) => [1, 3, 7].includes(o.id));
    expect(kinds(text)).toEqual([]);
    expect(prescreenText({ text, others: far })).toEqual([]);
    expect(prescreenText({ text, others: [] })).toEqual([]);
  });

  it('finds English near-duplicates too', () => {
    const found = prescreenText({
      text: 'Please open the public library on Sunday afternoons',
      others: [
        { id: 10, text: 'Open the public library on Sunday afternoons, please!' },
        { id: 11, text: 'Fix the street lights in the park' },
      ],
    });
    expect(found).toEqual([{ kind: 'near-duplicate', matches: [{ id: 10, score: expect.any(Number) }] }]);
  });
});

describe('prescreenText: a clean text', () => {
  it.each([
    ['Queremos más bancos y sombra en la plaza del barrio, sobre todo en verano.'],
    ['We would like more benches and shade in the square, especially in summer.'],
  ])('finds nothing in %j', (text) => {
    expect(prescreenText({ text })).toEqual([]);
  });
});
