// Insults and slurs from word-lists/{es,en}.txt (loaded once, at module load), found as whole words.
// A word is a run of letters, digits, '@' and '$' (a leading '@', as in a mention, is not part of it).
// Words are compared after folding (accents and case dropped), undoing common leetspeak when the word
// has at least one letter (0→o 1→i 3→e 4→a 5→s 7→t @→a $→s) and squeezing runs of one letter to one
// (idiotaaa → idiota; list entries are squeezed the same way). Whole-word comparison keeps innocent
// words that merely contain an insult (Scunthorpe, disputa) out. Entries of several words match as a
// phrase, longest entry first, and a phrase found is not reported again word by word.
import { readFileSync } from 'node:fs';
import { foldText } from './fold-text.ts';

export type InsultMatch = { word: string; start: number; end: number };

type Entry = { word: string; keys: string[] };

const LEET: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
};

const squeeze = (s: string): string => s.replace(/(.)\1+/gu, '$1');

/** The comparison key of one word as written by someone. */
export function wordKey(word: string): string {
  const folded = foldText(word);
  const unleet = /\p{L}/u.test(folded) ? folded.replace(/[013457@$]/g, (c) => LEET[c] ?? c) : folded;
  return squeeze(unleet);
}

function loadList(name: string): string[] {
  const text = readFileSync(new URL(`./word-lists/${name}`, import.meta.url), 'utf8');
  return text
    .split('\n')
    .map((line) => line.trim().toLowerCase())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** Every list entry, indexed by the key of its first word, longest phrase first. */
const ENTRIES: ReadonlyMap<string, Entry[]> = (() => {
  const index = new Map<string, Entry[]>();
  for (const word of new Set([...loadList('es.txt'), ...loadList('en.txt')])) {
    const keys = word.split(/\s+/).map(wordKey);
    const first = keys[0]!;
    index.set(first, [...(index.get(first) ?? []), { word, keys }]);
  }
  for (const list of index.values()) list.sort((a, b) => b.keys.length - a.keys.length);
  return index;
})();

export function findInsults(text: string): InsultMatch[] {
  const tokens = [...text.matchAll(/[\p{L}\p{M}\p{N}@$]+/gu)].flatMap((m) => {
    const lead = /^@*/.exec(m[0])![0].length;
    const raw = m[0].slice(lead);
    return raw === '' ? [] : [{ start: m.index + lead, end: m.index + m[0].length, key: wordKey(raw) }];
  });
  const found: InsultMatch[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const entry = ENTRIES.get(tokens[i]!.key)?.find((e) =>
      e.keys.every((key, k) => tokens[i + k]?.key === key),
    );
    if (entry === undefined) continue;
    const last = tokens[i + entry.keys.length - 1]!;
    found.push({ word: entry.word, start: tokens[i]!.start, end: last.end });
    i += entry.keys.length - 1;
  }
  return found;
}
