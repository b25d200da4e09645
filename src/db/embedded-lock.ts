// PGlite has no cross-process lock: two processes opening one data directory corrupt it. A lock file
// holding the owner's pid keeps a second process out with a clear message; a stale file (its process is
// gone) is taken over.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';

export class EmbeddedDatabaseInUseError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      `The embedded database in ${dir} is in use by process ${pid}. Run everything in one process ` +
        '(`plaza all` or `plaza demo`), stop the other one, or set DATABASE_URL to use PostgreSQL.',
    );
    this.name = 'EmbeddedDatabaseInUseError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const heldHere = new Set<string>();

/** Takes the lock or throws EmbeddedDatabaseInUseError. Returns the release function. */
export function lockEmbeddedDatabase(dir: string): () => void {
  const file = `${dir}.lock`;
  if (heldHere.has(file)) throw new EmbeddedDatabaseInUseError(dir, process.pid);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      heldHere.add(file);
      return () => {
        heldHere.delete(file);
        rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new EmbeddedDatabaseInUseError(dir, pid);
      }
      rmSync(file, { force: true });
    }
  }
  throw new EmbeddedDatabaseInUseError(dir, -1);
}
