import { randomBytes } from 'node:crypto';
import { basename, join } from 'node:path';
import { PACKAGE_FILES, PACKAGE_MANIFEST_SCHEMA_VERSION } from '../compile/artifacts.js';
import type { CompiledExperiment } from '../compile/compile-experiment.js';
import type { CompileManifest } from '../compile/compile-project.js';
import type { AuditInfo } from '../audit/audit-info.js';
import type { SignatureRecord } from '../audit/signing.js';
import type { Results } from '../run/results.js';
import type { ResolvedExperiment } from '../spec/types.js';
import { writeDirectoryAtomically } from '../util/atomic-write.js';
import { sha256 } from '../util/digest.js';
import { checksumsText } from './checksums.js';

export interface PackageManifest {
  schemaVersion: number;
  tool: { name: string; version: string };
  experiment: string;
  runId: string;
  target: { name: string; type: string };
  asOf: string;
  startedAt: string;
  finishedAt: string;
  inputs: { spec: Record<string, string>; models: Record<string, string>; templates: Record<string, string> };
  dataDigest: string;
  recommendation: string;
  /** SHA-256 of every file in the package except manifest.json and SHA256SUMS. */
  files: Record<string, string>;
  /** Chain link, fingerprints, git provenance and signing key (src/audit; schemaVersion 2). */
  chain?: AuditInfo['chain'];
  fingerprints?: AuditInfo['fingerprints'];
  git?: AuditInfo['git'];
  signing?: AuditInfo['signing'];
}

let lastRunMs = 0;

/**
 * Sorts by start time to the millisecond (so two runs in the same second keep their order) and is
 * unique through the random suffix. Within one process a second id in the same millisecond is
 * moved one millisecond on, so ids of one process always sort in the order they were made.
 */
export function newRunId(startedAt: Date): string {
  const ms = Math.max(startedAt.getTime(), lastRunMs + 1);
  lastRunMs = ms;
  return `${new Date(ms).toISOString().replace(/[-:]/g, '')}-${randomBytes(3).toString('hex')}`;
}

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

/**
 * Writes reports/<experiment>/<run-id>/ whole or not at all. Returns the package directory.
 */
export function writePackage(opts: {
  reportsDir: string;
  experiment: ResolvedExperiment;
  compiled: CompiledExperiment;
  compileManifest: CompileManifest;
  results: Results;
  report: string;
  /** Extra package files (CHANGELOG.md) and the signature of SHA256SUMS (src/audit). */
  extraFiles?: Map<string, string>;
  sign?: (checksums: string) => SignatureRecord;
}): string {
  const { experiment, compiled, results } = opts;
  const files = new Map<string, string>();
  files.set(PACKAGE_FILES.report, opts.report);
  files.set(PACKAGE_FILES.results, json(results));
  for (const s of compiled.steps) files.set(`${PACKAGE_FILES.sqlDir}/${s.file}`, s.sql);
  files.set(`${PACKAGE_FILES.specDir}/${basename(experiment.specFile)}`, experiment.specText);
  for (const m of experiment.modelFiles) files.set(`${PACKAGE_FILES.modelsDir}/${basename(m)}`, experiment.modelTexts[m]);
  for (const [p, c] of opts.extraFiles ?? []) files.set(p, c);

  const digests = Object.fromEntries([...files.entries()].map(([p, c]) => [p, sha256(c)] as const).sort(([a], [b]) => a.localeCompare(b)));
  const pick = (r: Record<string, string>, keys: string[]) => Object.fromEntries([...keys].sort().map((k) => [k, r[k]]));
  const manifest: PackageManifest = {
    schemaVersion: PACKAGE_MANIFEST_SCHEMA_VERSION,
    tool: results.tool,
    experiment: experiment.id,
    runId: results.run.runId,
    target: results.run.target,
    asOf: results.run.asOf,
    startedAt: results.run.startedAt,
    finishedAt: results.run.finishedAt,
    inputs: {
      spec: pick(opts.compileManifest.inputs.specs, [experiment.specFile]),
      models: pick(opts.compileManifest.inputs.models, experiment.modelFiles),
      templates: opts.compileManifest.inputs.templates,
    },
    dataDigest: results.dataDigest,
    recommendation: results.decision.recommendation,
    files: digests,
    ...(results.audit
      ? { chain: results.audit.chain, fingerprints: results.audit.fingerprints, git: results.audit.git, signing: results.audit.signing }
      : {}),
  };
  files.set(PACKAGE_FILES.manifest, json(manifest));
  const sums = checksumsText(new Map([...files.entries()].map(([p, c]) => [p, sha256(c)])));
  files.set(PACKAGE_FILES.checksums, sums);
  if (opts.sign) files.set(PACKAGE_FILES.signature, json(opts.sign(sums)));

  const dir = join(opts.reportsDir, experiment.id, results.run.runId);
  writeDirectoryAtomically(dir, files);
  return dir;
}
