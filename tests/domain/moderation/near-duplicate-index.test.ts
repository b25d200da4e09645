// The index must find exactly what comparing with every text finds: the same ids, the same scores (to the
// last bit) and, through prescreenText, the same findings. Texts are generated (seeded, so a failure can be
// replayed): Spanish-like sentences over vocabularies of several sizes, so that many pairs fall near the
// threshold, and near copies (words dropped, added, swapped, misspelt, accents and case changed).
import { describe, expect, it } from 'vitest';
import { NearDuplicateIndex, type ScoredId } from '../../../src/domain/moderation/near-duplicate-index.ts';
import {
  NEAR_DUPLICATE_MAX,
  NEAR_DUPLICATE_THRESHOLD,
  prescreenText,
  rankNearDuplicates,
} from '../../../src/domain/moderation/prescreen-text.ts';
import { cosine, trigrams } from '../../../src/domain/moderation/similarity.ts';

type Rng = () => number;

function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'el la los las un una de del en con por para que y o pero porque muy más menos calle plaza barrio parque ' +
  'árbol árboles banco bancos fuente farola farolas acera aceras carril bici autobús parada coche coches tráfico ' +
  'ruido noche día verano invierno niños niñas mayores vecinos vecinas familia colegio biblioteca mercado ' +
  'limpieza basura contenedor papelera sombra agua luz seguridad accesible rampa escalera ascensor piscina ' +
  'pista deporte cultura música teatro fiesta huerto jardín flores perro perros gatos queremos pedimos propongo ' +
  'necesitamos arreglar poner instalar crear ampliar abrir cerrar limpiar plantar cambiar mejorar nuevo nueva ' +
  'viejo vieja roto rota sucio sucia grande pequeño ancho estrecho peligroso tranquilo bonito centro norte sur ' +
  'Madrid Vallecas Usera Tetuán Chamberí Lavapiés 2024 2025 15 300 mil euros gracias favor please bike lane ' +
  'street light park trees benches library children'
).split(' ');

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;

function sentence(rng: Rng, vocabulary: readonly string[]): string {
  const n = 3 + Math.floor(rng() * 40);
  const words = Array.from({ length: n }, () => pick(rng, vocabulary));
  const text = words.join(rng() < 0.1 ? ', ' : ' ');
  return text.charAt(0).toUpperCase() + text.slice(1) + pick(rng, ['.', '!', '?', '', '...']);
}

function mutate(rng: Rng, text: string): string {
  const words = text.split(' ');
  for (let e = 1 + Math.floor(rng() * 4); e > 0; e--) {
    const i = Math.floor(rng() * words.length);
    const r = rng();
    if (r < 0.25 && words.length > 1) words.splice(i, 1);
    else if (r < 0.45) words.splice(i, 0, pick(rng, WORDS));
    else if (r < 0.6) words.reverse();
    else if (r < 0.75) words[i] = words[i]!.toUpperCase();
    else if (r < 0.9) words[i] = words[i]!.normalize('NFD').replace(/\p{M}/gu, '');
    else {
      const w = words[i]!;
      const k = Math.floor(rng() * w.length);
      words[i] = w.slice(0, k) + w.slice(k + 1);
    }
  }
  return words.join(' ');
}

/** `count` texts; about a third are near copies of an earlier one (or of a near copy). */
function corpus(seed: number, count: number, vocabularySize: number): string[] {
  const rng = mulberry32(seed);
  const vocabulary = Array.from({ length: vocabularySize }, () => pick(rng, WORDS));
  const texts: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = rng();
    if (texts.length > 0 && r < 0.35) texts.push(mutate(rng, pick(rng, texts)));
    else if (r < 0.38) texts.push(pick(rng, ['', '!!!', '¿?', '1', 'a']));
    else texts.push(sentence(rng, vocabulary));
  }
  return texts;
}

const byScoreThenId = (a: ScoredId, b: ScoredId) => b.score - a.score || a.id - b.id;

const vectors = new Map<string, ReturnType<typeof trigrams>>();
const vectorOf = (text: string) => {
  let v = vectors.get(text);
  if (!v) vectors.set(text, (v = trigrams(text)));
  return v;
};

/** What comparing with every text gives: each (id, cosine) at or above the threshold, as `cosine()` computes. */
function naive(
  query: string,
  docs: readonly { id: number; text: string }[],
  threshold: number,
  filter: { before?: number; exclude?: ReadonlySet<number> } = {},
): ScoredId[] {
  const mine = trigrams(query);
  return docs
    .filter((d) => d.id < (filter.before ?? Infinity) && !filter.exclude?.has(d.id))
    .map((d) => ({ id: d.id, score: cosine(mine, vectorOf(d.text)) }))
    .filter((m) => m.score >= threshold)
    .sort(byScoreThenId);
}

const indexed = (
  index: NearDuplicateIndex,
  query: string,
  threshold: number,
  filter?: { before?: number; exclude?: ReadonlySet<number> },
) => index.scoresAtLeast(trigrams(query), threshold, filter).sort(byScoreThenId);

describe('NearDuplicateIndex: the same matches as comparing with every text', () => {
  it.each([
    [1, 400, 12],
    [2, 400, 40],
    [3, 300, 150],
    [4, 300, 400],
  ])(
    'seed %i, %i texts over %i words: every text against the earlier ones, ids and scores exact',
    (seed, count, vocabularySize) => {
      const texts = corpus(seed, count, vocabularySize);
      const docs = texts.map((text, i) => ({ id: i + 1, text }));
      const index = new NearDuplicateIndex();
      for (const d of docs) index.add(d.id, d.text);
      let matched = 0;
      for (const d of docs) {
        const expected = naive(d.text, docs, NEAR_DUPLICATE_THRESHOLD, { before: d.id });
        expect(indexed(index, d.text, NEAR_DUPLICATE_THRESHOLD, { before: d.id })).toEqual(expected);
        if (d.id % 5 === 0) {
          expect(prescreenText({ text: d.text, index, before: d.id })).toEqual(
            prescreenText({ text: d.text, others: docs.filter((o) => o.id < d.id) }),
          );
        }
        matched += expected.length;
      }
      // The corpus must exercise the comparison: many texts with matches, and many without.
      expect(matched).toBeGreaterThan(count / 4);
    },
  );

  it.each([0.05, 0.3, 0.5, 0.75, 0.9, 0.99, 1])(
    'at threshold %s, for new texts and indexed ones, with no filter',
    (threshold) => {
      const texts = corpus(11, 250, 30);
      const docs = texts.slice(0, 200).map((text, i) => ({ id: 1000 + 3 * i, text }));
      const index = new NearDuplicateIndex();
      for (const d of docs) index.add(d.id, d.text);
      for (const query of texts) {
        expect(indexed(index, query, threshold)).toEqual(naive(query, docs, threshold));
      }
    },
  );

  it('at threshold 0 or below returns every text, those with nothing in common scoring 0', () => {
    const docs = [
      { id: 1, text: 'Más bancos en la plaza' },
      { id: 2, text: 'zzz qqq' },
      { id: 3, text: '' },
    ];
    const index = new NearDuplicateIndex();
    for (const d of docs) index.add(d.id, d.text);
    for (const threshold of [0, -1]) {
      expect(indexed(index, 'bancos en la plaza', threshold)).toEqual(
        naive('bancos en la plaza', docs, threshold),
      );
      expect(indexed(index, '', threshold)).toEqual(naive('', docs, threshold));
    }
    expect(indexed(index, 'bancos en la plaza', 0).map((m) => m.id)).toEqual([1, 2, 3]);
  });

  it('answers between additions as if it had been built at once (incremental adds)', () => {
    const texts = corpus(21, 300, 25);
    const docs: { id: number; text: string }[] = [];
    const index = new NearDuplicateIndex();
    texts.forEach((text, i) => {
      // Before adding it: compared with what is there so far.
      expect(indexed(index, text, NEAR_DUPLICATE_THRESHOLD)).toEqual(
        naive(text, docs, NEAR_DUPLICATE_THRESHOLD),
      );
      const id = 10 + i * 2;
      expect(index.add(id, text)).toBe(true);
      docs.push({ id, text });
      expect(index.size).toBe(docs.length);
      expect(index.maxId).toBe(id);
      expect(index.has(id)).toBe(true);
    });
  });

  it('handles ids added out of order, `before` and `exclude` included', () => {
    const rng = mulberry32(31);
    const texts = corpus(31, 300, 20);
    const docs = texts.map((text, i) => ({ id: i + 1, text }));
    const shuffled = [...docs].sort(() => rng() - 0.5);
    const index = new NearDuplicateIndex();
    for (const d of shuffled) index.add(d.id, d.text);
    expect(index.maxId).toBe(300);
    const exclude = new Set(docs.filter(() => rng() < 0.2).map((d) => d.id));
    for (const d of docs) {
      expect(indexed(index, d.text, NEAR_DUPLICATE_THRESHOLD, { before: d.id, exclude })).toEqual(
        naive(d.text, docs, NEAR_DUPLICATE_THRESHOLD, { before: d.id, exclude }),
      );
    }
  });

  it('keeps answering the same after trim() and after more additions', () => {
    const texts = corpus(41, 300, 30);
    const docs = texts.map((text, i) => ({ id: i + 1, text }));
    const index = new NearDuplicateIndex();
    for (const d of docs.slice(0, 200)) index.add(d.id, d.text);
    const bytes = index.memoryBytes();
    index.trim();
    expect(index.memoryBytes()).toBeLessThan(bytes);
    for (const d of docs.slice(200)) index.add(d.id, d.text);
    for (const d of docs) {
      expect(indexed(index, d.text, NEAR_DUPLICATE_THRESHOLD, { before: d.id })).toEqual(
        naive(d.text, docs, NEAR_DUPLICATE_THRESHOLD, { before: d.id }),
      );
    }
  });
});

describe('NearDuplicateIndex: documents', () => {
  it('ignores a second text under an id it has, and refuses ids a database cannot have', () => {
    const index = new NearDuplicateIndex();
    expect(index.add(7, 'Más bancos en la plaza del barrio')).toBe(true);
    expect(index.add(7, 'Otra cosa distinta del todo')).toBe(false);
    expect(index.size).toBe(1);
    expect(indexed(index, 'Más bancos en la plaza del barrio', 0.99).map((m) => m.id)).toEqual([7]);
    for (const id of [0, -1, 1.5, 2 ** 31, Number.NaN]) expect(() => index.add(id, 'x')).toThrow(RangeError);
    for (const count of [0, -1, 0.5]) {
      expect(() => index.addVector(8, new Map([[' ma', count]]))).toThrow(RangeError);
      expect(() => index.scoresAtLeast(new Map([[' ma', count]]), 0.6)).toThrow(RangeError);
    }
    expect(index.has(8)).toBe(false);
  });

  it('finds nothing in an empty index or for a text without letters or digits', () => {
    const index = new NearDuplicateIndex();
    expect(indexed(index, 'Más bancos', 0.6)).toEqual([]);
    index.add(1, '¡¡¡!!!');
    index.add(2, 'Más bancos');
    expect(indexed(index, '¿?', 0.6)).toEqual([]);
    expect(indexed(index, 'más BANCOS', 0.6).map((m) => m.id)).toEqual([2]);
    expect(indexed(index, 'más BANCOS', 0.6)).toEqual(
      naive('más BANCOS', [{ id: 2, text: 'Más bancos' }], 0.6),
    );
  });
});

describe('prescreenText with an index', () => {
  it('names the same closest texts as with the list, in the same order, at most NEAR_DUPLICATE_MAX', () => {
    const text = 'Queremos más carriles bici en el centro de la ciudad para ir al trabajo con seguridad';
    const others = [
      { id: 1, text: 'Pedimos que abran la biblioteca municipal los domingos por la tarde' },
      { id: 2, text: 'Queremos mas carriles bici en el centro de la ciudad para ir a trabajar seguros' },
      {
        id: 3,
        text: 'QUEREMOS MÁS CARRILES BICI EN EL CENTRO DE LA CIUDAD PARA IR AL TRABAJO CON SEGURIDAD',
      },
      { id: 4, text: 'Más carriles bici en el centro de la ciudad, para ir al trabajo con seguridad' },
      {
        id: 5,
        text: 'Queremos más carriles bici en el centro de la ciudad para ir al trabajo con seguridad',
      },
    ];
    const index = new NearDuplicateIndex();
    for (const o of others) index.add(o.id, o.text);
    const found = prescreenText({ text, index });
    expect(found).toEqual(prescreenText({ text, others }));
    expect(found).toEqual([
      {
        kind: 'near-duplicate',
        matches: [
          { id: 3, score: 1 },
          { id: 5, score: 1 },
          { id: 4, score: expect.any(Number) },
        ],
      },
    ]);
    expect(NEAR_DUPLICATE_MAX).toBe(3);
    // `before` and `exclude` narrow what is compared.
    expect(prescreenText({ text, index, before: 3, exclude: new Set([2]) })).toEqual([]);
    expect(prescreenText({ text, index, exclude: new Set([3, 5]) })).toEqual(
      prescreenText({ text, others: others.filter((o) => o.id !== 3 && o.id !== 5) }),
    );
  });

  it('ranks scores as the rules say: threshold, score then id, top three, rounded', () => {
    expect(
      rankNearDuplicates([
        { id: 9, score: 0.7 },
        { id: 2, score: 0.59999 },
        { id: 4, score: 0.81234 },
        { id: 3, score: 0.7 },
        { id: 1, score: 0.6 },
      ]),
    ).toEqual([
      { id: 4, score: 0.812 },
      { id: 3, score: 0.7 },
      { id: 9, score: 0.7 },
    ]);
  });
});
