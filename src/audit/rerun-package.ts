import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_FILES, PAIRS_STEP, RANKS_STEP, SHIFT_BINS_STEP, STEPS } from '../compile/artifacts.js';
import type { Target } from '../config/project-config.js';
import { verifyPackage, type VerifyResult } from '../report/verify-package.js';
import { canonicalJson } from '../util/digest.js';
import { getWarehouse } from '../warehouse/registry.js';
import type { Row } from '../warehouse/types.js';
import { parseFingerprints, type SourceFingerprint } from './fingerprints.js';

export interface RerunResult {
  dir: string;
  /** The package itself verified; nothing was re-run when it did not. */
  intact: VerifyResult;
  /** Same rows read from every source (fingerprints equal), per source. */
  inputs: { same: boolean; sources: { source: string; same: boolean; recorded: { rows: number; hash: string }; now: { rows: number; hash: string }; changedDays: string[] }[] } | null;
  /** Same warehouse aggregates from the same SQL, per step: same code and data give the same answer. */
  results: { same: boolean; steps: { step: string; same: boolean; recordedRows: number; rows: number }[] } | null;
  /** In words: reproduced, data changed, or not reproducible. */
  verdict: string;
}

const canonicalRows = (rows: Row[]) => rows.map((r) => canonicalJson(r)).sort();

/**
 * Executes a package's recorded SQL again on a target of the same warehouse type and compares,
 * separately, the input fingerprints (did the data change?) and the other steps' aggregates
 * (does the same SQL on this data give the package's numbers?).
 */
export async function rerunPackage(dir: string, target: Target, projectRoot: string, signal?: AbortSignal): Promise<RerunResult> {
  const intact = verifyPackage(dir);
  if (!intact.ok) return { dir, intact, inputs: null, results: null, verdict: 'the package does not verify; nothing was re-run' };
  const manifest = JSON.parse(readFileSync(join(dir, PACKAGE_FILES.manifest), 'utf8')) as { experiment: string; target: { type: string }; fingerprints?: SourceFingerprint[] };
  const recorded = JSON.parse(readFileSync(join(dir, PACKAGE_FILES.results), 'utf8')) as { data: Record<string, Row[]> };
  if (manifest.target.type !== target.type) {
    throw new Error(`the package's SQL was compiled for ${manifest.target.type}; target '${target.name}' is ${target.type}`);
  }
  const files = readdirSync(join(dir, PACKAGE_FILES.sqlDir)).sort();
  const adapter = await getWarehouse(target.type).createAdapter(target.settings, { projectRoot, targetName: target.name });
  const data: Record<string, Row[]> = {};
  try {
    for (const file of files) {
      const step = [...STEPS, RANKS_STEP, SHIFT_BINS_STEP, PAIRS_STEP].find((s) => s.file === file)?.name ?? file.replace(/^\d+_|\.sql$/g, '');
      data[step] = await adapter.query(readFileSync(join(dir, PACKAGE_FILES.sqlDir, file), 'utf8'), { experiment: manifest.experiment, step, signal });
    }
  } finally {
    await adapter.close();
  }

  const defs = manifest.fingerprints ?? [];
  const now = parseFingerprints(data.fingerprints ?? [], defs);
  const sources = defs.map((was, i) => {
    const is = now[i];
    const days = [...new Set([...Object.keys(was.days), ...Object.keys(is.days)])].sort();
    const changedDays = days.filter((d) => was.days[d]?.hash !== is.days[d]?.hash || was.days[d]?.rows !== is.days[d]?.rows);
    const same = was.rows === is.rows && was.hash === is.hash && was.minEventAt === is.minEventAt && was.maxEventAt === is.maxEventAt;
    return { source: was.source, same, recorded: { rows: was.rows, hash: was.hash }, now: { rows: is.rows, hash: is.hash }, changedDays };
  });
  const steps = Object.keys(data)
    .filter((s) => s !== 'fingerprints')
    .map((step) => {
      const a = canonicalRows(recorded.data[step] ?? []);
      const b = canonicalRows(data[step]);
      return { step, same: JSON.stringify(a) === JSON.stringify(b), recordedRows: a.length, rows: b.length };
    });
  const resultsSame = steps.every((s) => s.same);
  // Fingerprints taken with another row hash (e.g. DuckDB's hash() of another engine version), or not
  // taken at all, say nothing about the data: the verdict says so rather than "the data changed".
  const hashNow = getWarehouse(target.type).dialect.rowHashId;
  const otherHash = defs.find((d) => d.rowHash !== undefined && d.rowHash !== hashNow);
  const results = { same: resultsSame, steps };
  if (defs.length === 0 || otherHash) {
    const why = otherHash ? `the row hash changed (${otherHash.rowHash} → ${hashNow})` : 'the package records no input fingerprints';
    return { dir, intact, inputs: null, results, verdict: `input fingerprints not comparable: ${why}; results ${resultsSame ? 'the same' : 'differ'}` };
  }
  const inputsSame = sources.every((s) => s.same);
  const verdict = inputsSame
    ? resultsSame
      ? 'reproduced: same input data, same results'
      : 'NOT reproducible: the input data is the same but the results differ'
    : resultsSame
      ? 'the input data changed, but the results are the same'
      : 'the input data changed, and so did the results';
  return { dir, intact, inputs: { same: inputsSame, sources }, results, verdict };
}
