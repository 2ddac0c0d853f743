import { mkdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The reports folder cannot take a package: said before any query runs (and is paid for). */
export class ReportsNotWritableError extends Error {}

const PLAIN: Record<string, string> = {
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'a file of that name is in the way',
};

/** "read-only file system (EROFS)" for a file-system error; its own message otherwise. */
export function plainWriteError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (code && PLAIN[code]) return `${PLAIN[code]} (${code})`;
  return e instanceof Error ? e.message : String(e);
}

/**
 * Creates the reports folder if needed and writes (then removes) a small probe file in it, so a
 * read-only or full disk stops the run before the warehouse is asked for anything.
 */
export function checkReportsWritable(reportsDir: string): void {
  const probe = join(reportsDir, `.write-check-${process.pid}`);
  let created: string | undefined;
  try {
    created = mkdirSync(reportsDir, { recursive: true });
    // A few KB, not zero: a full disk may still accept an empty file.
    writeFileSync(probe, Buffer.alloc(4096));
  } catch (e) {
    throw new ReportsNotWritableError(`cannot write report packages to ${reportsDir}: ${plainWriteError(e)}; nothing was run`);
  } finally {
    try {
      rmSync(probe, { force: true });
      // Leave no trace: folders made only for the check go again (a run that fails later writes nothing).
      for (let d = reportsDir; created && d.length >= created.length; d = dirname(d)) rmdirSync(d);
    } catch {
      /* nothing was written, or the folder is in use */
    }
  }
}
