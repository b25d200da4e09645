// The automatic pre-screen of a public text (a proposal or a comment) before a moderator looks at it.
// Pure: no I/O beyond the word lists read once when the module loads (find-insults.ts). It never decides;
// it returns findings for the moderators' queue, in this order: personal data and insults (each by
// position), shouting, repeated characters (by position), near-duplicates.
//
// - personal-data: Spanish phones (9 digits starting 6–9, optionally +34/0034, single spaces, dots or
//   dashes between digits; not when followed by a currency), international +CC phones (not +34; 7–12
//   national digits, the first not 0), e-mail addresses, DNI and NIE only with a valid check letter,
//   IBAN only with a valid mod-97 checksum (spaces allowed; known countries at their exact length).
//   Overlaps keep the stronger kind (iban > email > dni/nie > phone). Each finding carries its kind and
//   span only, never a copy of the text: findings are stored with the case (prescreen-case.ts) and outlive
//   the author's erasure and a moderator's redaction, so they must hold no personal data. redactAll
//   replaces every span by its label (REDACTION_LABELS) in the text it is given.
// - insult: list words as whole words, accent/case-insensitive, through repeats and leetspeak.
// - shouting: at least SHOUTING_MIN_LETTERS letters and SHOUTING_RATIO of them uppercase, counting only
//   words without digits (so codes, IBANs and IDs do not count).
// - repeated-characters: the same character (not a digit or a space) REPEAT_MIN times or more in a row.
// - near-duplicate: others whose trigram cosine similarity (similarity.ts) is at least
//   NEAR_DUPLICATE_THRESHOLD, the NEAR_DUPLICATE_MAX most similar first (ties: lower id first), scores
//   rounded to 3 decimals. The others are either a list of texts, each compared in turn (O(n) per text), or
//   a NearDuplicateIndex (near-duplicate-index.ts), which yields the same scores for the texts that can
//   reach the threshold without comparing with the rest; rankNearDuplicates applies the rules to both.
import { findInsults } from './find-insults.ts';
import { IBAN_LENGTHS, isValidIban } from './iban.ts';
import type { NearDuplicateIndex, ScoredId } from './near-duplicate-index.ts';
import { cosine, trigrams } from './similarity.ts';
import { isValidDni, isValidNie } from './spanish-ids.ts';

export type PersonalDataKind = 'phone' | 'email' | 'dni' | 'nie' | 'iban';

export type Finding =
  | { kind: 'personal-data'; what: PersonalDataKind; start: number; end: number }
  | { kind: 'insult'; word: string; start: number; end: number }
  | { kind: 'shouting' }
  | { kind: 'repeated-characters'; start: number; end: number }
  | { kind: 'near-duplicate'; matches: { id: number; score: number }[] };

export type PrescreenInput =
  | { text: string; others?: readonly { id: number; text: string }[]; index?: undefined }
  | {
      text: string;
      others?: undefined;
      /** The other texts, indexed: the same near-duplicates as passing them as `others`. */
      index: NearDuplicateIndex;
      /** Only indexed texts whose id is lower than this one. */
      before?: number;
      /** Indexed texts left out (e.g. withdrawn since they were indexed). */
      exclude?: ReadonlySet<number>;
    };

export const REDACTION_LABELS: Readonly<Record<PersonalDataKind, string>> = {
  phone: '[teléfono]',
  email: '[correo]',
  dni: '[DNI]',
  nie: '[NIE]',
  iban: '[IBAN]',
};

export const SHOUTING_MIN_LETTERS = 12;
export const SHOUTING_RATIO = 0.7;
export const REPEAT_MIN = 5;
export const NEAR_DUPLICATE_THRESHOLD = 0.6;
export const NEAR_DUPLICATE_MAX = 3;

type Positioned = Extract<Finding, { kind: 'personal-data' | 'insult' }>;
type Span = { what: PersonalDataKind; start: number; end: number };

const WORD_BEFORE = String.raw`(?<![\p{L}\p{N}_+])`;
const WORD_AFTER = String.raw`(?![\p{L}\p{N}_])`;
const NOT_A_PRICE = String.raw`(?!\s?(?:€|euros?\b|eur\b|\$))`;

const IBAN = /(?<![\p{L}\p{N}])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}/gu;
const EMAIL = /(?<![\w.%+-])[\w%+-][\w.%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])/g;
const DNI = new RegExp(
  `${WORD_BEFORE}(\\d{2}\\.?\\d{3}\\.?\\d{3})(?:[ -]?([A-Z])|([a-z]))${WORD_AFTER}`,
  'gu',
);
const NIE = new RegExp(`${WORD_BEFORE}([XYZxyz])[ -]?(\\d{7})(?:[ -]?([A-Z])|([a-z]))${WORD_AFTER}`, 'gu');
const SPANISH_PHONE = new RegExp(
  String.raw`(?<![\p{L}\p{N}_+]|\d[.,/-])(?:(?:\+|00)34[ .-]?)?[6789](?:[ .-]?\d){8}` +
    String.raw`(?![\p{L}\p{N}_]|[.,/-]\d)${NOT_A_PRICE}`,
  'giu',
);
const INTERNATIONAL_PHONE = new RegExp(
  String.raw`${WORD_BEFORE}\+(?!34)[1-9]\d{0,2}[ .-]?[1-9](?:[ .-]?\d){6,11}` +
    String.raw`(?![\p{L}\p{N}_]|[.,/-]\d)${NOT_A_PRICE}`,
  'giu',
);

function findIbans(text: string): Span[] {
  const spans: Span[] = [];
  for (const m of text.matchAll(IBAN)) {
    const positions: number[] = [];
    for (let j = 0; j < m[0].length; j++) if (m[0][j] !== ' ') positions.push(m.index + j);
    const compact = m[0].replace(/ /g, '');
    const length = IBAN_LENGTHS[compact.slice(0, 2)] ?? compact.length;
    if (compact.length < length) continue;
    const end = positions[length - 1]! + 1;
    if (/[\p{L}\p{N}]/u.test(text.charAt(end))) continue;
    if (isValidIban(compact.slice(0, length))) spans.push({ what: 'iban', start: m.index, end });
  }
  return spans;
}

function findMatches(
  text: string,
  pattern: RegExp,
  what: PersonalDataKind,
  valid: (m: RegExpExecArray) => boolean,
) {
  return [...text.matchAll(pattern)]
    .filter(valid)
    .map((m): Span => ({ what, start: m.index, end: m.index + m[0].length }));
}

const PRIORITY: readonly PersonalDataKind[] = ['iban', 'email', 'dni', 'nie', 'phone'];

function findPersonalData(text: string): Span[] {
  const candidates = [
    ...findIbans(text),
    ...findMatches(text, EMAIL, 'email', () => true),
    ...findMatches(text, DNI, 'dni', (m) => isValidDni(m[1]!.replace(/\./g, '') + (m[2] ?? m[3]))),
    ...findMatches(text, NIE, 'nie', (m) => isValidNie(m[1]! + m[2]! + (m[3] ?? m[4]))),
    ...findMatches(text, SPANISH_PHONE, 'phone', () => true),
    ...findMatches(text, INTERNATIONAL_PHONE, 'phone', () => true),
  ].sort((a, b) => PRIORITY.indexOf(a.what) - PRIORITY.indexOf(b.what) || a.start - b.start);
  const kept: Span[] = [];
  for (const span of candidates) if (!kept.some((k) => overlaps(k, span))) kept.push(span);
  return kept;
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) =>
  a.start < b.end && b.start < a.end;

const redact = (text: string, span: Span) =>
  text.slice(0, span.start) + REDACTION_LABELS[span.what] + text.slice(span.end);

function isShouting(text: string): boolean {
  const words = text.match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
  const letters = words.filter((w) => !/\p{N}/u.test(w)).flatMap((w) => w.match(/\p{L}/gu) ?? []);
  if (letters.length < SHOUTING_MIN_LETTERS) return false;
  const upper = letters.filter((c) => c !== c.toLowerCase() && c === c.toUpperCase()).length;
  return upper / letters.length >= SHOUTING_RATIO;
}

/**
 * The near-duplicate rules, whatever computed the scores: at least NEAR_DUPLICATE_THRESHOLD, most similar
 * first and then the lower id, the first NEAR_DUPLICATE_MAX, scores rounded to 3 decimals.
 */
export function rankNearDuplicates(scored: readonly ScoredId[]): ScoredId[] {
  return scored
    .filter((m) => m.score >= NEAR_DUPLICATE_THRESHOLD)
    .sort((a, b) => b.score - a.score || a.id - b.id)
    .slice(0, NEAR_DUPLICATE_MAX)
    .map((m) => ({ id: m.id, score: Math.round(m.score * 1000) / 1000 }));
}

function findNearDuplicates(input: PrescreenInput): ScoredId[] {
  if (!input.index && !input.others?.length) return [];
  const mine = trigrams(input.text);
  if (input.index) {
    const { before, exclude } = input;
    return rankNearDuplicates(input.index.scoresAtLeast(mine, NEAR_DUPLICATE_THRESHOLD, { before, exclude }));
  }
  return rankNearDuplicates(input.others!.map((o) => ({ id: o.id, score: cosine(mine, trigrams(o.text)) })));
}

export function prescreenText(input: PrescreenInput): Finding[] {
  const { text } = input;
  const findings: Finding[] = [
    ...findPersonalData(text).map((span): Positioned => ({ kind: 'personal-data', ...span })),
    ...findInsults(text).map((m): Positioned => ({ kind: 'insult', ...m })),
  ].sort((a, b) => a.start - b.start);
  if (isShouting(text)) findings.push({ kind: 'shouting' });
  const repeat = new RegExp(`([^\\s\\d])\\1{${REPEAT_MIN - 1},}`, 'gu');
  for (const m of text.matchAll(repeat)) {
    findings.push({ kind: 'repeated-characters', start: m.index, end: m.index + m[0].length });
  }
  const matches = findNearDuplicates(input);
  if (matches.length > 0) findings.push({ kind: 'near-duplicate', matches });
  return findings;
}

/** The text with every personal-data finding replaced by its label; overlapping spans keep the first. */
export function redactAll(text: string, findings: readonly Finding[]): string {
  const spans = findings
    .flatMap((f) => (f.kind === 'personal-data' ? [{ what: f.what, start: f.start, end: f.end }] : []))
    .sort((a, b) => a.start - b.start);
  const kept: Span[] = [];
  for (const span of spans) if (!kept.some((k) => overlaps(k, span))) kept.push(span);
  return kept.reduceRight(redact, text);
}
