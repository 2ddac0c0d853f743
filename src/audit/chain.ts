import { appendFileSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { EXPERIMENT_FILES, PACKAGE_FILES } from '../compile/artifacts.js';
import { sha256 } from '../util/digest.js';

/**
 * reports/<experiment>/chain.log: one line per package (`package <sequence> <run-id> <digest>`) and per
 * decision (`decision <sequence> <record-hash>`), appended under the experiment lock. The packages and
 * decision records chain themselves; the log also makes deleting the newest one detectable.
 */
export const CHAIN_LOG = EXPERIMENT_FILES.chainLog;
export const DECISIONS_FILE = EXPERIMENT_FILES.decisions;

/** A package's digest: SHA-256 of its SHA256SUMS, which covers every file including manifest.json. */
export function packageDigest(dir: string): string | null {
  const p = join(dir, PACKAGE_FILES.checksums);
  return existsSync(p) ? sha256(readFileSync(p)) : null;
}

export interface ChainLink {
  sequence: number;
  previous: { runId: string; digest: string } | null;
}

export interface PackageEntry {
  /** Directory name (the run id it was written under). */
  name: string;
  dir: string;
  digest: string | null;
  manifest: { runId?: string; experiment?: string; chain?: ChainLink; recommendation?: string; [k: string]: unknown } | null;
}

/** Every package directory of an experiment (hidden temporaries skipped), by name. */
export function listPackages(experimentDir: string): PackageEntry[] {
  if (!existsSync(experimentDir)) return [];
  return readdirSync(experimentDir)
    .filter((n) => !n.startsWith('.') && statSync(join(experimentDir, n)).isDirectory())
    .sort()
    .map((name) => {
      const dir = join(experimentDir, name);
      let manifest: PackageEntry['manifest'] = null;
      try {
        manifest = JSON.parse(readFileSync(join(dir, PACKAGE_FILES.manifest), 'utf8'));
      } catch {
        /* reported by verify */
      }
      return { name, dir, digest: packageDigest(dir), manifest };
    });
}

export type LogLine = { kind: 'package'; sequence: number; runId: string; digest: string; line: number } | { kind: 'decision'; sequence: number; hash: string; line: number };

export function readChainLog(experimentDir: string): { lines: LogLine[]; errors: string[] } {
  const path = join(experimentDir, CHAIN_LOG);
  if (!existsSync(path)) return { lines: [], errors: [] };
  const lines: LogLine[] = [];
  const errors: string[] = [];
  readFileSync(path, 'utf8').split('\n').forEach((text, i) => {
    if (text === '') return;
    const p = /^package (\d+) (\S+) ([0-9a-f]{64})$/.exec(text);
    const d = /^decision (\d+) ([0-9a-f]{64})$/.exec(text);
    if (p) lines.push({ kind: 'package', sequence: Number(p[1]), runId: p[2], digest: p[3], line: i + 1 });
    else if (d) lines.push({ kind: 'decision', sequence: Number(d[1]), hash: d[2], line: i + 1 });
    else errors.push(`line ${i + 1} is not a chain entry`);
  });
  return { lines, errors };
}

export function appendChainLog(experimentDir: string, line: string): void {
  appendFileSync(join(experimentDir, CHAIN_LOG), `${line}\n`);
}

/**
 * The newest package of the chain (what the next package links to): the log's last package entry,
 * else the package with the highest chain sequence. Null for the first package.
 */
export function chainHead(experimentDir: string): { sequence: number; runId: string; digest: string; dir: string } | null {
  const logged = readChainLog(experimentDir).lines.filter((l) => l.kind === 'package');
  const last = logged[logged.length - 1];
  if (last && last.kind === 'package') return { sequence: last.sequence, runId: last.runId, digest: last.digest, dir: join(experimentDir, last.runId) };
  const chained = listPackages(experimentDir).filter((p) => p.digest && p.manifest?.chain);
  if (chained.length === 0) return null;
  const top = chained.reduce((a, b) => (b.manifest!.chain!.sequence > a.manifest!.chain!.sequence ? b : a));
  return { sequence: top.manifest!.chain!.sequence, runId: top.name, digest: top.digest!, dir: top.dir };
}
