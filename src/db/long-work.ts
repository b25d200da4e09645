// Work known to take long on a large process — freezing a broadcast's audience, importing verification
// codes, a process's report or open-data export — is exempt from the application's statement_timeout
// (DATABASE_STATEMENT_TIMEOUT_MS, which bounds the turns' queries): `SET LOCAL` lifts it for the rest of the
// transaction it runs in, and nothing else. lock_timeout stays: a lock held elsewhere is still not waited for
// forever.
import { Prisma } from '../generated/prisma/client.ts';

export const LIFT_STATEMENT_TIMEOUT = Prisma.sql`SET LOCAL statement_timeout = 0`;
