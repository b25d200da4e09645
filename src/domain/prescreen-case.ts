// The moderation worker pre-screens a case (prescreen-text.ts) and stores the findings on it, once: a decided
// case is left alone, an already pre-screened one gives back what was stored, and the findings are written by
// one conditional UPDATE (`prescreenedAt IS NULL`), so the job may run twice, or in two workers at once, and
// the case is still pre-screened exactly once.
//
// Text screened: a proposal's title and body (`title`, a blank line, `body`), a comment's body. Near-duplicates
// are looked for among proposals only: the other proposals of the same process that existed before this one
// (lower id), whatever their status except withdrawn, through an index of the process kept in the worker's
// memory (ProposalIndexes). Comments get no near-duplicate finding. Logs carry ids and counts, never text.
import type { Db } from '../db/client.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type { DomainDeps } from './deps.ts';
import { isDbId } from './ids.ts';
import { NearDuplicateIndex } from './moderation/near-duplicate-index.ts';
import { prescreenText, type Finding } from './moderation/prescreen-text.ts';

export type PrescreenCaseResult =
  { ok: true; findings: Finding[]; alreadyDone: boolean } | { ok: false; reason: 'not-found' | 'decided' };

/** The text of a proposal that is pre-screened and compared for near-duplicates. */
export const proposalText = (p: { title: string; body: string }): string => `${p.title}\n\n${p.body}`;

export async function prescreenCase(
  deps: Pick<DomainDeps, 'db' | 'now' | 'logger'>,
  input: { caseId: number },
  indexes: ProposalIndexes,
): Promise<PrescreenCaseResult> {
  if (!isDbId(input.caseId)) return { ok: false, reason: 'not-found' };
  // One statement (a job's hot path): the case, its item and, for a proposal, the earlier proposals of its
  // process withdrawn since they may have been indexed (the index holds those not withdrawn when loaded).
  const [found] = await deps.db.$queryRaw<
    {
      decidedAt: Date | null;
      prescreenedAt: Date | null;
      findings: Prisma.JsonValue;
      proposalId: number | null;
      processId: number | null;
      status: string | null;
      title: string | null;
      body: string | null;
      commentBody: string | null;
      withdrawn: number[] | null;
    }[]
  >`
    SELECT c."decidedAt", c."prescreenedAt", c.findings,
      p.id AS "proposalId", p."processId", p.status::text AS status, p.title, p.body, k.body AS "commentBody",
      CASE WHEN p.id IS NOT NULL THEN ARRAY(
        SELECT w.id FROM "Proposal" w
        WHERE w."processId" = p."processId" AND w.status = 'withdrawn' AND w.id < p.id) END AS withdrawn
    FROM "ModerationCase" c
      LEFT JOIN "Proposal" p ON p.id = c."proposalId"
      LEFT JOIN "Comment" k ON k.id = c."commentId"
    WHERE c.id = ${input.caseId}`;
  if (!found || (found.proposalId === null && found.commentBody === null))
    return { ok: false, reason: 'not-found' };
  if (found.decidedAt) return { ok: false, reason: 'decided' };
  if (found.prescreenedAt) return { ok: true, findings: storedFindings(found.findings), alreadyDone: true };

  let findings: Finding[];
  if (found.proposalId !== null) {
    const proposal = { id: found.proposalId, title: found.title!, body: found.body! };
    const text = proposalText(proposal);
    const index = await indexes.forProcess(deps, found.processId!, proposal.id);
    // Missing only if it committed after a later proposal was indexed (see ProposalIndexes): in from now on.
    if (found.status !== 'withdrawn') index.add(proposal.id, text);
    findings = prescreenText({
      text,
      index,
      before: proposal.id,
      exclude: new Set(found.withdrawn ?? []),
    });
  } else {
    findings = prescreenText({ text: found.commentBody! });
  }

  const stored = await deps.db.moderationCase.updateMany({
    where: { id: input.caseId, prescreenedAt: null, decidedAt: null },
    data: { findings: findings as unknown as Prisma.InputJsonValue, prescreenedAt: deps.now() },
  });
  if (stored.count === 0) {
    // Another run stored its findings first, or a moderator decided meanwhile.
    const current = await deps.db.moderationCase.findUnique({
      where: { id: input.caseId },
      select: { prescreenedAt: true, findings: true },
    });
    if (!current) return { ok: false, reason: 'not-found' };
    if (current.prescreenedAt)
      return { ok: true, findings: storedFindings(current.findings), alreadyDone: true };
    return { ok: false, reason: 'decided' };
  }
  deps.logger.info(
    { caseId: input.caseId, findings: findings.map((f) => f.kind) },
    'moderation case pre-screened',
  );
  return { ok: true, findings, alreadyDone: false };
}

const storedFindings = (json: Prisma.JsonValue): Finding[] => (json ?? []) as unknown as Finding[];

export interface ProposalIndexesOptions {
  /** Processes whose index is kept; the least recently used one is dropped beyond this. */
  maxProcesses?: number;
  /**
   * Proposals kept over all indexes (≈ 4.5 KB each for texts of ~400 characters); least recently used processes
   * are dropped beyond this, never the one in use.
   */
  maxDocuments?: number;
  /** Proposals read per query while loading. */
  batchSize?: number;
  /** See ProposalIndexes: how long a proposal's transaction may take to commit and still be seen. */
  lateCommitMs?: number;
}

interface Entry {
  processId: number;
  index: NearDuplicateIndex;
  /** Highest proposal id read so far (withdrawn ones included: they are skipped, not re-read). */
  loadedUpTo: number;
  /** Every proposal committed with an id up to this one is known to be loaded. */
  settledUpTo: number;
  /** `loadedUpTo` at the last sweep for late commits, and when that sweep ran (ms). */
  loadedAtSweep: number;
  sweptAt: number;
  /** The refresh in progress: one at a time per process, in this worker. */
  busy: Promise<unknown>;
}

/**
 * One NearDuplicateIndex per process, in the worker's memory. `forProcess` brings a process's index up to date
 * incrementally from the database, so every worker process sees the proposals the others (or the web
 * processes) stored: it reads, in batches, the proposals with an id above the highest read so far.
 *
 * Ids are taken from a sequence before commit, so a proposal may become visible after one with a higher id
 * was read. Such a proposal is added when its own case is pre-screened in this worker (prescreenCase), and
 * otherwise found by a sweep: every `lateCommitMs` the ids in the range not yet settled are read again (ids
 * only) and the missing proposals loaded; a range is settled once a sweep started at least `lateCommitMs`
 * after it was read has covered it. So a proposal whose transaction commits within `lateCommitMs` of taking
 * its id is always indexed, at most `lateCommitMs` after its commit (a submission's transaction takes
 * milliseconds); until then a proposal pre-screened in between may miss it as a near-duplicate.
 *
 * Proposals withdrawn when read are not indexed; withdrawn later, they stay in the index and prescreenCase
 * leaves them out of the comparison. A proposal's text is read once: a later change (redaction by a
 * moderator) is not seen until the process's index is dropped and rebuilt.
 */
export class ProposalIndexes {
  readonly #entries = new Map<number, Entry>();
  readonly #maxProcesses: number;
  readonly #maxDocuments: number;
  readonly #batchSize: number;
  readonly #lateCommitMs: number;

  constructor(opts: ProposalIndexesOptions = {}) {
    this.#maxProcesses = opts.maxProcesses ?? 8;
    this.#maxDocuments = opts.maxDocuments ?? 50_000;
    this.#batchSize = opts.batchSize ?? 1000;
    this.#lateCommitMs = opts.lateCommitMs ?? 10_000;
  }

  /** The process's index holding at least every committed proposal with an id up to `upTo`. */
  async forProcess(
    deps: Pick<DomainDeps, 'db' | 'now'>,
    processId: number,
    upTo: number,
  ): Promise<NearDuplicateIndex> {
    let entry = this.#entries.get(processId);
    if (entry) this.#entries.delete(processId); // re-inserted last: the map's order is least recently used first
    entry ??= {
      processId,
      index: new NearDuplicateIndex(),
      loadedUpTo: 0,
      settledUpTo: 0,
      loadedAtSweep: 0,
      sweptAt: deps.now().getTime(),
      busy: Promise.resolve(),
    };
    this.#entries.set(processId, entry);
    const current = entry;
    const refresh = current.busy.then(() => this.#refresh(deps, current, upTo));
    current.busy = refresh.catch(() => undefined);
    await refresh;
    this.#evict(current);
    return current.index;
  }

  /** Processes and proposals held, and the approximate bytes of their indexes. */
  stats(): { processes: number; documents: number; bytes: number } {
    let documents = 0;
    let bytes = 0;
    for (const e of this.#entries.values()) {
      documents += e.index.size;
      bytes += e.index.memoryBytes();
    }
    return { processes: this.#entries.size, documents, bytes };
  }

  /** Drops every index (they are rebuilt from the database when next needed). */
  clear(): void {
    this.#entries.clear();
  }

  async #refresh(deps: Pick<DomainDeps, 'db' | 'now'>, entry: Entry, upTo: number): Promise<void> {
    let added = 0;
    if (entry.loadedUpTo < upTo) added += await this.#loadNew(deps.db, entry);
    const now = deps.now().getTime();
    if (now - entry.sweptAt >= this.#lateCommitMs && entry.settledUpTo < entry.loadedUpTo) {
      added += await this.#sweep(deps.db, entry);
      entry.settledUpTo = entry.loadedAtSweep;
      entry.loadedAtSweep = entry.loadedUpTo;
      entry.sweptAt = now;
    }
    if (added >= this.#batchSize) entry.index.trim();
  }

  async #loadNew(db: Db, entry: Entry): Promise<number> {
    let added = 0;
    for (;;) {
      const batch = await db.proposal.findMany({
        where: { processId: entry.processId, id: { gt: entry.loadedUpTo } },
        orderBy: { id: 'asc' },
        take: this.#batchSize,
        select: { id: true, title: true, body: true, status: true },
      });
      for (const p of batch) if (p.status !== 'withdrawn' && entry.index.add(p.id, proposalText(p))) added++;
      if (batch.length > 0) entry.loadedUpTo = batch[batch.length - 1]!.id;
      if (batch.length < this.#batchSize) return added;
    }
  }

  /** Loads the proposals committed late in the unsettled range (ids read first, texts only for missing ones). */
  async #sweep(db: Db, entry: Entry): Promise<number> {
    const rows = await db.proposal.findMany({
      where: {
        processId: entry.processId,
        id: { gt: entry.settledUpTo, lte: entry.loadedUpTo },
        status: { not: 'withdrawn' },
      },
      select: { id: true },
    });
    const missing = rows.map((r) => r.id).filter((id) => !entry.index.has(id));
    let added = 0;
    for (let i = 0; i < missing.length; i += this.#batchSize) {
      const batch = await db.proposal.findMany({
        where: { id: { in: missing.slice(i, i + this.#batchSize) }, status: { not: 'withdrawn' } },
        orderBy: { id: 'asc' },
        select: { id: true, title: true, body: true },
      });
      for (const p of batch) if (entry.index.add(p.id, proposalText(p))) added++;
    }
    return added;
  }

  #evict(current: Entry): void {
    let documents = 0;
    for (const e of this.#entries.values()) documents += e.index.size;
    for (const [processId, e] of this.#entries) {
      if (this.#entries.size <= this.#maxProcesses && documents <= this.#maxDocuments) return;
      if (e === current) continue;
      this.#entries.delete(processId);
      documents -= e.index.size;
    }
  }
}
