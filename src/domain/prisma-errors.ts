// Recognising the database errors that are expected outcomes rather than failures.

/** A unique index refused the write (Prisma P2002): someone else wrote the same thing first. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}
