// Names for PostgreSQL prepared statements, given to @prisma/adapter-pg (its `statementNameGenerator`). A
// named statement is parsed and planned once per connection and then only bound and executed: on Plaza's
// hot path (find-participant, get-proposal, support-proposal) planning cost PostgreSQL four to six times more
// than running the query (bench/RESULTS.md). The name is a digest of the SQL text, so the same text always
// gets the same name and two texts never share one (node-postgres refuses a name reused for another text).
//
// Each named statement stays in its connection's backend until the connection closes, so the names are
// bounded: texts whose shape varies with the number of items — Prisma renders `in: [...]` as
// `IN ($1,…,$n)` and createMany as one VALUES group per row — are sent unnamed from three items on, and so
// are texts with many parameters and every new text once `max` texts have been named. An empty name is an
// unnamed statement to node-postgres.
import { createHash } from 'node:crypto';

/** A list of three or more placeholders after IN, or a second VALUES group. */
const VARIABLE_LIST = /\bIN\s*\(\s*(\$\d+\s*,\s*){2,}|\)\s*,\s*\(\s*\$\d+/i;

export interface StatementNamerOptions {
  /** Distinct SQL texts named by this process; later new texts go unnamed. */
  max?: number;
  /** Texts with more parameters than this go unnamed. */
  maxParameters?: number;
}

export function createStatementNamer(
  opts: StatementNamerOptions = {},
): (query: { sql: string; args: unknown[] }) => string {
  const max = opts.max ?? 500;
  const maxParameters = opts.maxParameters ?? 32;
  const names = new Map<string, string>();
  return (query) => {
    const known = names.get(query.sql);
    if (known !== undefined) return known;
    if (names.size >= max || query.args.length > maxParameters || VARIABLE_LIST.test(query.sql)) return '';
    const name = `plaza_${createHash('sha1').update(query.sql).digest('base64url')}`;
    names.set(query.sql, name);
    return name;
  };
}
