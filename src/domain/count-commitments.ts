// How many commitments a process has (its page offers «Compromisos» only when there are some).
import type { DomainDeps } from './deps.ts';
import { isDbId } from './ids.ts';

export async function countCommitments(
  deps: Pick<DomainDeps, 'db'>,
  input: { processId: number },
): Promise<number> {
  if (!isDbId(input.processId)) return 0;
  return deps.db.commitment.count({ where: { processId: input.processId } });
}
