// Ids arriving from outside (buttons, deep links, APIs) are checked before they reach a query: PostgreSQL's
// integer columns hold 1 … 2,147,483,647, and anything else is simply "not found".
export const MAX_DB_ID = 2_147_483_647;

export function isDbId(id: unknown): id is number {
  return typeof id === 'number' && Number.isInteger(id) && id > 0 && id <= MAX_DB_ID;
}
