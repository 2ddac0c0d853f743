import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive } from './process-alive.js';

/** Staging folders carry their writer's pid: `.tmp-<pid>-XXXXXX` (writeDirectoryAtomically). */
export const stagingPrefix = () => `.tmp-${process.pid}-`;

/**
 * Removes the hidden staging folders a killed run left in `dir`. Called under the experiment lock,
 * so no other run of this experiment is writing there; a folder whose pid is still alive on this
 * host (another process's, from before the lock was taken) is kept all the same. Returns the names removed.
 */
export function removeStaleStaging(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = /^\.tmp-(?:(\d+)-)?/.exec(name);
    if (!m) continue;
    const pid = m[1] === undefined ? null : Number(m[1]);
    if (pid !== null && pid !== process.pid && processAlive(pid)) continue;
    if (pid === process.pid) continue;
    rmSync(join(dir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
