// Recognising the database errors that are expected outcomes rather than failures.

/**
 * A unique index refused the write: someone else wrote the same thing first. Prisma reports it as P2002
 * from its own queries and as P2010 with PostgreSQL's 23505 from raw ones.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as {
    code?: unknown;
    meta?: { code?: unknown; driverAdapterError?: { cause?: { originalCode?: unknown } } };
  };
  if (e.code === 'P2002') return true;
  return (
    e.code === 'P2010' &&
    (e.meta?.code === '23505' || e.meta?.driverAdapterError?.cause?.originalCode === '23505')
  );
}
