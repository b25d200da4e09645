// An in-memory index of trigram vectors (similarity.ts) that finds every indexed text whose cosine similarity
// with a query is at least a threshold, with the very score `cosine()` computes (bit for bit: both are an
// integer dot product divided by the product of the square roots of two integer sums), without comparing
// the query with every text. prescreen-text.ts applies the near-duplicate rules (ordering, top N, rounding)
// to what it returns, so the matches are exactly those of comparing with every text one by one.
//
// How: trigrams are interned to integer ids; each document is its sorted trigram ids and counts in flat typed
// arrays, plus its squared norm; each trigram has a postings list of (document, count). A query orders its
// trigrams from the rarest to the most common (document frequency) and keeps as "suffix" the longest run of
// common trigrams whose norm stays below threshold·‖q‖. By Cauchy–Schwarz a document sharing only suffix
// trigrams with the query has q·d ≤ ‖q_S‖·‖d‖ < threshold·‖q‖·‖d‖, so only documents in the postings of the
// other ("prefix") trigrams are candidates. While walking those postings the partial dot product and the
// partial squared norm of each candidate are summed, which bounds its cosine from above by
// (q_P·d + ‖q_S‖·‖d − d_P‖) / (‖q‖·‖d‖); candidates under the threshold by that bound are dropped. The exact
// dot product of the others is finished by walking the suffix's postings, or recomputed from each candidate's
// own trigrams, whichever reads fewer entries. Bounds are compared with a relative margin of 1e-9 in favour
// of keeping a document, so floating-point rounding never drops a match.
//
// Cost: it reads the postings of the query's prefix trigrams, so it does best when texts share few trigrams
// besides the common ones. Texts in one language on one subject share many (two unrelated proposals score
// 0.3–0.5 against a threshold of 0.6), so most documents remain candidates; what is saved then is the
// per-pair work of the naive scan (vectors built once, integer arrays instead of maps).
//
// Memory: per document ≈ 8 bytes per distinct trigram in its own arrays and 8 in the postings, plus 20 bytes;
// one dictionary entry per distinct trigram. Documents can be added at any time, in any id order; none is
// ever removed (callers drop the whole index, or leave ids out of a query with `exclude`).
import type { TrigramVector } from './similarity.ts';
import { trigrams } from './similarity.ts';

export type ScoredId = { id: number; score: number };

export interface IndexQueryFilter {
  /** Only documents whose id is lower than this. */
  before?: number;
  /** Documents left out. */
  exclude?: ReadonlySet<number>;
}

/** Bounds are compared with this relative margin, always in favour of keeping a candidate. */
const MARGIN = 1e-9;

const grown = <T extends Int32Array | Float64Array>(array: T, needed: number): T => {
  if (needed <= array.length) return array;
  const next = new (array.constructor as new (n: number) => T)(Math.max(needed, array.length * 2, 16));
  next.set(array);
  return next;
};

export class NearDuplicateIndex {
  /** Trigram → its id. */
  readonly #terms = new Map<string, number>();
  /** Per trigram id: documents containing it. */
  #df = new Int32Array(0);
  /** Per trigram id: [slot, count, slot, count, …], the first 2·df entries in use. */
  #postings: Int32Array[] = [];

  /** Document id → slot (slots are 0, 1, 2… in the order documents were added). */
  readonly #slots = new Map<number, number>();
  #count = 0;
  #ids = new Int32Array(0);
  #normSq = new Float64Array(0);
  /** Slot s owns #docTerms/#docCounts[#offsets[s] … #offsets[s + 1]), trigram ids ascending. */
  #offsets = new Int32Array(1);
  #docTerms = new Int32Array(0);
  #docCounts = new Int32Array(0);
  #maxId = 0;
  /** Whether every document was added with a higher id than the ones before (so slots are in id order). */
  #ascending = true;

  // Scratch space for queries, reused (queries are synchronous, so never shared by two at once).
  #acc = new Float64Array(0);
  #accSq = new Float64Array(0);
  #touched = new Int32Array(0);
  #weights = new Int32Array(0);

  /** Documents indexed. */
  get size(): number {
    return this.#count;
  }

  /** The highest id indexed (0 when empty). */
  get maxId(): number {
    return this.#maxId;
  }

  has(id: number): boolean {
    return this.#slots.has(id);
  }

  /** Indexes a text under `id` (an integer 1 … 2³¹−1). Returns false, changing nothing, if `id` is there. */
  add(id: number, text: string): boolean {
    return !this.#slots.has(id) && this.addVector(id, trigrams(text));
  }

  /** As `add`, from the text's trigram counts (positive integers, as `trigrams()` gives them). */
  addVector(id: number, vector: TrigramVector): boolean {
    if (!Number.isInteger(id) || id < 1 || id > 2_147_483_647) throw new RangeError(`bad document id ${id}`);
    if (this.#slots.has(id)) return false;
    const slot = this.#count;
    const n = vector.size;
    const terms = new Int32Array(n);
    const counts = new Int32Array(n);
    let normSq = 0;
    let k = 0;
    for (const [gram, c] of vector) {
      if (!(Number.isInteger(c) && c > 0)) throw new RangeError(`bad trigram count ${c}`);
      terms[k] = this.#intern(gram);
      counts[k] = c;
      normSq += c * c;
      k++;
    }
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => terms[a]! - terms[b]!);

    const start = this.#offsets[slot]!;
    this.#docTerms = grown(this.#docTerms, start + n);
    this.#docCounts = grown(this.#docCounts, start + n);
    for (let i = 0; i < n; i++) {
      const term = terms[order[i]!]!;
      const c = counts[order[i]!]!;
      this.#docTerms[start + i] = term;
      this.#docCounts[start + i] = c;
      const df = this.#df[term]!;
      const postings = (this.#postings[term] = grown(this.#postings[term]!, 2 * df + 2));
      postings[2 * df] = slot;
      postings[2 * df + 1] = c;
      this.#df[term] = df + 1;
    }
    this.#ids = grown(this.#ids, slot + 1);
    this.#normSq = grown(this.#normSq, slot + 1);
    this.#offsets = grown(this.#offsets, slot + 2);
    this.#ids[slot] = id;
    this.#normSq[slot] = normSq;
    this.#offsets[slot + 1] = start + n;
    this.#slots.set(id, slot);
    this.#count = slot + 1;
    if (id > this.#maxId) this.#maxId = id;
    else this.#ascending = false;
    return true;
  }

  /**
   * Every indexed document passing `filter` whose cosine similarity with `query` is at least `threshold`,
   * with that similarity computed exactly as `cosine(query, documentVector)` does. In no particular order.
   * Counts must be positive integers, as `trigrams()` gives them.
   */
  scoresAtLeast(query: TrigramVector, threshold: number, filter: IndexQueryFilter = {}): ScoredId[] {
    if (this.#count === 0 || (query.size === 0 && threshold > 0)) return [];
    const before = filter.before ?? Infinity;
    const exclude = filter.exclude;

    // The query's trigrams the index knows (the others can match nothing but count in its norm).
    const qTerms: number[] = [];
    const qCounts: number[] = [];
    let qSq = 0;
    for (const [gram, c] of query) {
      if (!(Number.isInteger(c) && c > 0)) throw new RangeError(`bad trigram count ${c}`);
      qSq += c * c;
      const term = this.#terms.get(gram);
      if (term !== undefined) {
        qTerms.push(term);
        qCounts.push(c);
      }
    }
    const qn = Math.sqrt(qSq);
    const results: ScoredId[] = [];
    this.#weights = grown(this.#weights, this.#terms.size);
    const weights = this.#weights;
    for (let i = 0; i < qTerms.length; i++) weights[qTerms[i]!] = qCounts[i]!;
    const exact = (slot: number): void => {
      const id = this.#ids[slot]!;
      if (id >= before || exclude?.has(id)) return;
      let dot = 0;
      for (let p = this.#offsets[slot]!, end = this.#offsets[slot + 1]!; p < end; p++) {
        dot += weights[this.#docTerms[p]!]! * this.#docCounts[p]!;
      }
      const dSq = this.#normSq[slot]!;
      // cosine() says 0 when either text has no trigrams.
      const score = dSq === 0 || qSq === 0 ? 0 : dot / (qn * Math.sqrt(dSq));
      if (score >= threshold) results.push({ id, score });
    };

    try {
      if (!(threshold > 0)) {
        // Every document qualifies, even one sharing nothing: no pruning is possible.
        for (let slot = 0; slot < this.#count; slot++) exact(slot);
        return results;
      }

      // Rarest first; the suffix of common trigrams that cannot reach the threshold on its own is not walked.
      const order = Array.from({ length: qTerms.length }, (_, i) => i).sort(
        (a, b) => this.#df[qTerms[a]!]! - this.#df[qTerms[b]!]! || qTerms[a]! - qTerms[b]!,
      );
      const limit = threshold * threshold * qSq * (1 - MARGIN);
      let suffixSq = 0;
      let cut = order.length;
      while (cut > 0) {
        const c = qCounts[order[cut - 1]!]!;
        if (suffixSq + c * c >= limit) break;
        suffixSq += c * c;
        cut--;
      }

      this.#acc = grown(this.#acc, this.#count);
      this.#accSq = grown(this.#accSq, this.#count);
      this.#touched = grown(this.#touched, this.#count);
      const acc = this.#acc;
      const accSq = this.#accSq;
      const touched = this.#touched;
      const ids = this.#ids;
      // Postings are in slot order: with slots in id order, a list is over at the first slot past `before`.
      const ascending = this.#ascending;
      const slotLimit = ascending ? this.#firstSlotFrom(before) : this.#count;
      let touchedCount = 0;
      for (let k = 0; k < cut; k++) {
        const term = qTerms[order[k]!]!;
        const w = qCounts[order[k]!]!;
        const postings = this.#postings[term]!;
        const end = 2 * this.#df[term]!;
        // Two copies of the hot loop: the id test is only needed when slots are not in id order.
        if (ascending) {
          for (let p = 0; p < end; p += 2) {
            const slot = postings[p]!;
            if (slot >= slotLimit) break;
            const c = postings[p + 1]!;
            const a = acc[slot]!;
            if (a === 0) touched[touchedCount++] = slot;
            acc[slot] = a + w * c;
            accSq[slot] = accSq[slot]! + c * c;
          }
        } else {
          for (let p = 0; p < end; p += 2) {
            const slot = postings[p]!;
            if (ids[slot]! >= before) continue;
            const c = postings[p + 1]!;
            const a = acc[slot]!;
            if (a === 0) touched[touchedCount++] = slot;
            acc[slot] = a + w * c;
            accSq[slot] = accSq[slot]! + c * c;
          }
        }
      }

      // Drop the candidates the bound rules out (clearing their sums), keep the others at the front.
      const sn = Math.sqrt(suffixSq);
      const floor = threshold * (1 - MARGIN);
      let kept = 0;
      let keptTerms = 0;
      for (let i = 0; i < touchedCount; i++) {
        const slot = touched[i]!;
        const dSq = this.#normSq[slot]!;
        const rest = Math.sqrt(Math.max(0, dSq - accSq[slot]!));
        accSq[slot] = 0;
        if ((acc[slot]! + sn * rest) / (qn * Math.sqrt(dSq)) < floor || exclude?.has(ids[slot]!)) {
          acc[slot] = 0;
          continue;
        }
        touched[kept++] = slot;
        keptTerms += this.#offsets[slot + 1]! - this.#offsets[slot]!;
      }

      // Exact dot products: either finish the sums by walking the suffix's postings (only kept candidates
      // have a non-zero sum), or recompute each kept candidate's dot product from its own trigrams,
      // whichever touches fewer entries. Both are the same integer.
      let suffixEntries = 0;
      for (let k = cut; k < order.length; k++) suffixEntries += this.#df[qTerms[order[k]!]!]!;
      if (suffixEntries < keptTerms) {
        for (let k = cut; k < order.length; k++) {
          const term = qTerms[order[k]!]!;
          const w = qCounts[order[k]!]!;
          const postings = this.#postings[term]!;
          for (let p = 0, end = 2 * this.#df[term]!; p < end; p += 2) {
            const slot = postings[p]!;
            if (slot >= slotLimit) break;
            if (acc[slot] !== 0) acc[slot] = acc[slot]! + w * postings[p + 1]!;
          }
        }
        for (let i = 0; i < kept; i++) {
          const slot = touched[i]!;
          const score = acc[slot]! / (qn * Math.sqrt(this.#normSq[slot]!));
          acc[slot] = 0;
          if (score >= threshold) results.push({ id: ids[slot]!, score });
        }
      } else {
        for (let i = 0; i < kept; i++) {
          acc[touched[i]!] = 0;
          exact(touched[i]!);
        }
      }
      return results;
    } finally {
      for (const term of qTerms) weights[term] = 0;
    }
  }

  /** Gives back the arrays' spare capacity, e.g. after a bulk load (later additions grow them again). */
  trim(): void {
    const fit = <T extends Int32Array | Float64Array>(array: T, length: number): T =>
      array.length === length ? array : (array.slice(0, length) as T);
    const entries = this.#offsets[this.#count]!;
    this.#docTerms = fit(this.#docTerms, entries);
    this.#docCounts = fit(this.#docCounts, entries);
    this.#ids = fit(this.#ids, this.#count);
    this.#normSq = fit(this.#normSq, this.#count);
    this.#offsets = fit(this.#offsets, this.#count + 1);
    this.#df = fit(this.#df, this.#terms.size);
    for (let term = 0; term < this.#postings.length; term++) {
      this.#postings[term] = fit(this.#postings[term]!, 2 * this.#df[term]!);
    }
    this.#acc = new Float64Array(0);
    this.#accSq = new Float64Array(0);
    this.#touched = new Int32Array(0);
    this.#weights = new Int32Array(0);
  }

  /** Approximate bytes held: typed arrays, the two maps at a rough 40 bytes an entry and their keys. */
  memoryBytes(): number {
    let bytes =
      this.#df.byteLength +
      this.#ids.byteLength +
      this.#normSq.byteLength +
      this.#offsets.byteLength +
      this.#docTerms.byteLength +
      this.#docCounts.byteLength +
      this.#acc.byteLength +
      this.#accSq.byteLength +
      this.#touched.byteLength +
      this.#weights.byteLength +
      this.#slots.size * 40 +
      this.#terms.size * 56;
    for (const postings of this.#postings) bytes += postings.byteLength + 64;
    return bytes;
  }

  /** Distinct trigrams indexed. */
  get trigramCount(): number {
    return this.#terms.size;
  }

  /** The first slot whose id is `id` or more (slots in id order), or the number of documents. */
  #firstSlotFrom(id: number): number {
    let lo = 0;
    let hi = this.#count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#ids[mid]! < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  #intern(gram: string): number {
    let term = this.#terms.get(gram);
    if (term === undefined) {
      term = this.#terms.size;
      this.#terms.set(gram, term);
      this.#df = grown(this.#df, term + 1);
      this.#postings.push(new Int32Array(4));
    }
    return term;
  }
}
