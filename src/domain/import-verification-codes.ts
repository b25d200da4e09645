// Staff import the invitation or census codes of a binding process from CSV text: one code per line, or a
// table with a `code` column (comma, semicolon or tab separated; quoted fields allowed). Codes are read as
// verification-codes.ts says (compared by their letters and digits, without regard to case: dashes,
// underscores and spaces are not compared, so «ABCD-1234» and «abcd 1234» are one code); blank lines are
// skipped. Reported by line number (1 = the first line of the text): malformed rows (`not-a-code`;
// `too-short`, under MIN_VERIFICATION_CODE_LENGTH letters or digits; a table row without the column),
// duplicates within the file (the same code however written), codes imported before. Only digests are stored
// (verification-codes.ts). Importing the same file twice adds nothing. Staff imports are audited (counts only).
//
// Nothing is guessed about a header. A list of one code per line may start with one, and it is skipped, only
// when its first non-blank line is exactly a header word (HEADER_WORDS: `code`, `códigos`…, in any case,
// perhaps quoted); any other first line is a code like the rest (a header of another name, `codigo_censal`,
// would otherwise have to be told from a code by its looks: digits, case, length). A table's first line is its
// header. The answer names the line skipped as a header (`headerLine`, null when none), so whoever imports
// sees whether their first line was taken for a code.
//
// The inserts and the audit row are one transaction: an import that fails leaves nothing half-imported.
import { LIFT_STATEMENT_TIMEOUT } from '../db/long-work.ts';
import type { DomainDeps } from './deps.ts';
import { isDbId } from './ids.ts';
import { audit } from './moderation-cases.ts';
import {
  checkVerificationCode,
  hashVerificationCode,
  type VerificationCodeProblem,
} from './verification-codes.ts';

export const MAX_IMPORTED_CODES = 200_000;
const BATCH = 10_000;

export type MalformedReason = VerificationCodeProblem | 'missing-column';

export type ImportVerificationCodesResult =
  | {
      ok: true;
      imported: number;
      malformed: { line: number; reason: MalformedReason }[];
      duplicatesInFile: { line: number; firstLine: number }[];
      alreadyImported: number[];
      /** The line skipped as a header (a table's, or a list's header word), or null: every line was read. */
      headerLine: number | null;
    }
  | { ok: false; reason: 'process-not-found' | 'no-code-column' | 'empty' | 'too-many' };

/** Splits one CSV line on `sep`, honouring double quotes ("" inside quotes is a quote). */
function splitCsv(line: string, sep: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  cells.push(cell);
  return cells;
}

/** The names a header may have: of a list's only column, or of a table's column of codes. */
export const HEADER_WORDS = ['code', 'codes', 'código', 'códigos', 'codigo', 'codigos'];
const isHeader = (cell: string) =>
  HEADER_WORDS.includes(
    cell
      .trim()
      .normalize('NFC')
      .replace(/^"(.*)"$/, '$1')
      .trim()
      .toLowerCase(),
  );

export async function importVerificationCodes(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { processId: number; csv: string; staffMemberId?: string; sourceIp?: string },
): Promise<ImportVerificationCodesResult> {
  if (!isDbId(input.processId)) return { ok: false, reason: 'process-not-found' };
  const process = await deps.db.process.findUnique({ where: { id: input.processId }, select: { id: true } });
  if (!process) return { ok: false, reason: 'process-not-found' };

  const lines = input.csv.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first === -1) return { ok: false, reason: 'empty' };
  const sep = [',', ';', '\t'].find((s) => lines[first]!.includes(s));
  let column = 0;
  let start = first;
  if (sep !== undefined) {
    column = splitCsv(lines[first]!, sep).findIndex(isHeader);
    if (column === -1) return { ok: false, reason: 'no-code-column' };
    start = first + 1;
  } else if (isHeader(lines[first]!)) start = first + 1;
  const headerLine = start > first ? first + 1 : null;

  const malformed: { line: number; reason: MalformedReason }[] = [];
  const duplicatesInFile: { line: number; firstLine: number }[] = [];
  const seen = new Map<string, number>();
  for (let i = start; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    const line = i + 1;
    const cells = sep === undefined ? [raw] : splitCsv(raw, sep);
    const cell = cells[column];
    if (cell === undefined) {
      malformed.push({ line, reason: 'missing-column' });
      continue;
    }
    const checked = checkVerificationCode(cell);
    if (!checked.ok) {
      malformed.push({ line, reason: checked.reason });
      continue;
    }
    const { code } = checked;
    const earlier = seen.get(code);
    if (earlier !== undefined) duplicatesInFile.push({ line, firstLine: earlier });
    else seen.set(code, line);
  }
  if (seen.size > MAX_IMPORTED_CODES) return { ok: false, reason: 'too-many' };

  const hashes = [...seen].map(([code, line]) => ({
    line,
    codeHash: hashVerificationCode(process.id, code),
  }));
  const alreadyImported: number[] = [];
  let imported = 0;
  const now = deps.now();
  await deps.db.$transaction(
    async (tx) => {
      await tx.$executeRaw(LIFT_STATEMENT_TIMEOUT);
      for (let i = 0; i < hashes.length; i += BATCH) {
        const batch = hashes.slice(i, i + BATCH);
        // One statement per batch: the new digests are inserted and returned; the others were there already
        // (or came with another import of the same codes at the same moment: each code is stored once).
        const inserted = await tx.$queryRaw<{ codeHash: string }[]>`
          INSERT INTO "VerificationCode" ("processId", "codeHash", "createdAt")
          SELECT ${process.id}, h, ${now} FROM unnest(${batch.map((h) => h.codeHash)}::text[]) AS h
          ON CONFLICT ("processId", "codeHash") DO NOTHING
          RETURNING "codeHash"`;
        const fresh = new Set(inserted.map((r) => r.codeHash));
        for (const h of batch) if (!fresh.has(h.codeHash)) alreadyImported.push(h.line);
        imported += fresh.size;
      }
      if (input.staffMemberId !== undefined)
        await audit(tx, {
          actor: `staff:${input.staffMemberId}`,
          action: 'verification-codes.import',
          target: { kind: 'process', id: process.id },
          // Counts only: the codes (or their digests) never go to the audit log.
          after: {
            imported,
            malformed: malformed.length,
            duplicatesInFile: duplicatesInFile.length,
            alreadyImported: alreadyImported.length,
          },
          sourceIp: input.sourceIp,
          at: now,
        });
    },
    // 200,000 codes are twenty batches: more than the default five seconds on a slow disk.
    { timeout: 120_000, maxWait: 10_000 },
  );
  return { ok: true, imported, malformed, duplicatesInFile, alreadyImported, headerLine };
}
