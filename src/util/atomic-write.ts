import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stagingPrefix } from './stale-staging.js';

/**
 * Writes a whole directory or nothing: files go to a hidden temporary sibling, which is renamed
 * into place in one step. A crash leaves only a `.tmp-*` directory, never a partial result.
 * With `replace`, an existing directory is swapped out; without it, an existing one is an error.
 */
export function writeDirectoryAtomically(target: string, files: Map<string, string | Buffer>, opts: { replace?: boolean } = {}): void {
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const tmp = mkdtempSync(join(parent, stagingPrefix()));
  try {
    for (const [rel, content] of files) {
      const path = join(tmp, rel);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
    }
    if (opts.replace) {
      const old = `${tmp}-old`;
      try {
        renameSync(target, old);
      } catch {
        /* nothing to replace */
      }
      renameSync(tmp, target);
      rmSync(old, { recursive: true, force: true });
    } else {
      // rename(2) refuses to replace a non-empty directory, so two writers can never clobber each other.
      renameSync(tmp, target);
    }
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** One file, replaced whole: written beside the target, then renamed over it. */
export function writeFileAtomically(path: string, content: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
