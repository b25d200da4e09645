// Text similarity for near-duplicate proposals: cosine similarity of character-trigram counts over the
// folded text (accents and case dropped, anything not a letter or digit turned into one space, padded by
// a space at each end). 1 means the same trigrams in the same proportions, 0 nothing in common. Trigrams
// survive small edits, reordered words and inflections better than whole-word shingles do.
import { foldText } from './fold-text.ts';

export type TrigramVector = ReadonlyMap<string, number>;

export function trigrams(text: string): TrigramVector {
  const normal = foldText(text)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  const counts = new Map<string, number>();
  if (normal === '') return counts;
  const chars = [...` ${normal} `];
  for (let i = 0; i + 3 <= chars.length; i++) {
    const gram = chars.slice(i, i + 3).join('');
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}

export function cosine(a: TrigramVector, b: TrigramVector): number {
  if (a.size === 0 || b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [gram, n] of small) dot += n * (large.get(gram) ?? 0);
  return dot / (norm(a) * norm(b));
}

function norm(v: TrigramVector): number {
  let sum = 0;
  for (const n of v.values()) sum += n * n;
  return Math.sqrt(sum);
}

export function textSimilarity(a: string, b: string): number {
  return cosine(trigrams(a), trigrams(b));
}
