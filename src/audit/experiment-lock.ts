import { closeSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

import { EXPERIMENT_FILES } from '../compile/artifacts.js';
import { processAlive } from '../util/process-alive.js';

export const LOCK_FILE = EXPERIMENT_FILES.lock;
/** A lock older than this is stale whatever its owner: chaining a package takes well under a second. */
const STALE_MS = 10 * 60_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function isStale(path: string): string | null {
  let text: string;
  let age: number;
  try {
    text = readFileSync(path, 'utf8');
    age = Date.now() - statSync(path).mtimeMs;
  } catch {
    return null;
  }
  let owner: { pid?: number; host?: string } = {};
  try {
    owner = JSON.parse(text);
  } catch {
    /* a half-written lock: judged by age alone */
  }
  const deadHere = owner.host === hostname() && typeof owner.pid === 'number' && !processAlive(owner.pid);
  return deadHere || age > STALE_MS ? text : null;
}

/**
 * Runs `fn` holding reports/<experiment>/.lock, created with O_EXCL so only one process chains a
 * package (or a decision) at a time. A lock whose owner died on this host, or older than ten
 * minutes, is taken over: it is renamed aside (only one taker can win that rename) and put back if
 * it turns out to have been a fresh lock.
 */
export async function withExperimentLock<T>(experimentDir: string, fn: () => Promise<T> | T, timeoutMs = 60_000): Promise<T> {
  mkdirSync(experimentDir, { recursive: true });
  const path = join(experimentDir, LOCK_FILE);
  const deadline = Date.now() + timeoutMs;
  // Our own mark: released only while the lock is still ours (a stale takeover may have replaced it).
  const token = randomBytes(8).toString('hex');
  for (let wait = 10; ; wait = Math.min(wait * 2, 200)) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), createdAt: new Date().toISOString(), token }));
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const stale = isStale(path);
    if (stale !== null) {
      const aside = `${path}.stale-${randomBytes(4).toString('hex')}`;
      try {
        renameSync(path, aside);
        if (readFileSync(aside, 'utf8') !== stale) {
          try {
            linkSync(aside, path);
          } catch {
            /* someone holds a newer lock already */
          }
        }
        rmSync(aside, { force: true });
      } catch {
        /* another process took it over first */
      }
      continue;
    }
    if (Date.now() > deadline) throw new Error(`${path}: another exptrack process holds the experiment lock (waited ${Math.round(timeoutMs / 1000)} s)`);
    await sleep(wait);
  }
  try {
    return await fn();
  } finally {
    let holder = '';
    try {
      holder = readFileSync(path, 'utf8');
    } catch {
      /* already gone */
    }
    if (holder.includes(`"token":"${token}"`)) rmSync(path, { force: true });
  }
}
