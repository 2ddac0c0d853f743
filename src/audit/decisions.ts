import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_FILES } from '../compile/artifacts.js';
import type { Results } from '../run/results.js';
import { canonicalJson, sha256 } from '../util/digest.js';
import { appendChainLog, chainHead, DECISIONS_FILE, listPackages } from './chain.js';
import { withExperimentLock } from './experiment-lock.js';
import { checkSignature, type SignatureRecord, type Signer } from './signing.js';
import { verifyExperiment } from './verify-experiment.js';

export const DECISIONS = ['ship', 'iterate', 'stop', 'rerun'] as const;
export type DecisionKind = (typeof DECISIONS)[number];
export const DECISION_SCHEMA_VERSION = 1;

/** One line of reports/<experiment>/decisions.jsonl. */
export interface DecisionRecord {
  schemaVersion: number;
  sequence: number;
  experiment: string;
  decision: DecisionKind;
  variant: string | null;
  by: string;
  note: string;
  decidedAt: string;
  /** The package decided on, by digest, and what it recommended. */
  package: { runId: string; digest: string; recommendation: string; variant: string | null };
  /** Why the decision departs from the recommendation or ships a majority-traffic variant; null when it does neither. */
  acknowledgement: { reason: string; departures: string[] } | null;
  /** SHA-256 of the previous record's line; null for the first. */
  previous: string | null;
  signature: SignatureRecord | null;
}

export class DecisionError extends Error {}

/** The signed bytes of a record: its canonical JSON without the signature. */
export const signedBytes = (r: DecisionRecord) => canonicalJson({ ...r, signature: null });

export function readDecisionLines(experimentDir: string): string[] {
  const p = join(experimentDir, DECISIONS_FILE);
  if (!existsSync(p)) return [];
  return readFileSync(p, 'utf8').split('\n').filter((l) => l !== '');
}

/** Problems in decisions.jsonl: broken hash links (an edit or a deletion), bad signatures, unknown packages. */
export function checkDecisions(experimentDir: string, packageDigests: Set<string>): { problems: string[]; records: DecisionRecord[]; hashes: string[]; keys: string[] } {
  const problems: string[] = [];
  const records: DecisionRecord[] = [];
  const hashes: string[] = [];
  const keys = new Set<string>();
  let previous: string | null = null;
  readDecisionLines(experimentDir).forEach((line, i) => {
    const at = `${DECISIONS_FILE} line ${i + 1}`;
    let r: DecisionRecord;
    try {
      r = JSON.parse(line);
    } catch {
      problems.push(`${at}: not valid JSON`);
      previous = sha256(line);
      hashes.push(previous);
      return;
    }
    if (r.sequence !== i + 1) problems.push(`${at}: sequence ${r.sequence}, expected ${i + 1} (a record was deleted or moved)`);
    if (r.previous !== previous) problems.push(`${at}: does not link to the record before it (a record before it was edited or deleted)`);
    if (!packageDigests.has(r.package?.digest)) problems.push(`${at}: decides on package ${r.package?.runId} whose digest is not that of any package here (edited or replaced)`);
    if (r.signature) {
      const bad = checkSignature(r.signature, signedBytes(r));
      if (bad) problems.push(`${at}: ${bad}`);
      else keys.add(r.signature.keyFingerprint);
    }
    previous = sha256(line);
    hashes.push(previous);
    records.push(r);
  });
  return { problems, records, hashes, keys: [...keys] };
}

/**
 * Appends a human decision about one package (the newest by default). Refuses when the experiment's
 * packages or decisions do not verify, and when the decision departs from the recommendation or ships
 * a variant planned for more than half of traffic without an acknowledgement.
 */
export async function recordDecision(opts: {
  reportsDir: string;
  experiment: string;
  decision: string;
  by: string;
  note: string;
  variant?: string;
  acknowledge?: string;
  packageRunId?: string;
  signer: Signer | null;
  now?: () => Date;
}): Promise<DecisionRecord> {
  const dir = join(opts.reportsDir, opts.experiment);
  if (!(DECISIONS as readonly string[]).includes(opts.decision)) throw new DecisionError(`--decision must be one of ${DECISIONS.join(', ')}; got '${opts.decision}'`);
  if (!opts.by.trim()) throw new DecisionError('--by must name who decides');
  if (!opts.note.trim()) throw new DecisionError('--note must say why');
  if (!existsSync(dir)) throw new DecisionError(`no packages for experiment '${opts.experiment}' in ${opts.reportsDir}`);
  return withExperimentLock(dir, () => {
    const check = verifyExperiment(dir);
    if (!check.ok) throw new DecisionError(`${dir} does not verify (run \`exptrack verify ${dir}\`); no decision recorded`);
    const head = chainHead(dir);
    const pkg = opts.packageRunId ? listPackages(dir).find((p) => p.name === opts.packageRunId) : head ? listPackages(dir).find((p) => p.name === head.runId) : undefined;
    if (!pkg || !pkg.digest) throw new DecisionError(opts.packageRunId ? `no package ${opts.packageRunId} in ${dir}` : `no package in ${dir}`);
    const results = JSON.parse(readFileSync(join(pkg.dir, PACKAGE_FILES.results), 'utf8')) as Results;
    const rec = results.decision;
    const decision = opts.decision as DecisionKind;
    const variant = decision === 'ship' ? (opts.variant ?? (rec.recommendation === 'ship' ? rec.variant : null)) : null;
    if (decision === 'ship' && !variant) throw new DecisionError('--variant is required to ship when the package does not recommend a variant');
    if (opts.variant && decision !== 'ship') throw new DecisionError('--variant only goes with --decision ship');
    const planned = results.experiment.variants.find((v) => v.key === variant);
    if (variant && !planned) throw new DecisionError(`variant '${variant}' is not a variant of ${opts.experiment} (${results.experiment.variants.map((v) => v.key).join(', ')})`);

    const departures: string[] = [];
    if (decision !== rec.recommendation) departures.push(`overrides the recommendation ${rec.recommendation} with ${decision}`);
    else if (decision === 'ship' && variant !== rec.variant) departures.push(`ships ${variant} where ${rec.variant} was recommended`);
    if (decision === 'ship' && planned && planned.weight > 0.5) departures.push(`ships ${variant}, which was planned to get ${Math.round(planned.weight * 100)}% of traffic (more than half)`);
    if (departures.length && !opts.acknowledge?.trim()) throw new DecisionError(`this decision ${departures.join(' and ')}: pass --acknowledge with the reason`);

    const lines = readDecisionLines(dir);
    const record: DecisionRecord = {
      schemaVersion: DECISION_SCHEMA_VERSION,
      sequence: lines.length + 1,
      experiment: opts.experiment,
      decision,
      variant,
      by: opts.by.trim(),
      note: opts.note.trim(),
      decidedAt: (opts.now ?? (() => new Date()))().toISOString(),
      package: { runId: pkg.name, digest: pkg.digest, recommendation: rec.recommendation, variant: rec.variant },
      acknowledgement: departures.length ? { reason: opts.acknowledge!.trim(), departures } : null,
      previous: lines.length ? sha256(lines[lines.length - 1]) : null,
      signature: null,
    };
    if (opts.signer) record.signature = opts.signer.sign(signedBytes(record));
    const line = JSON.stringify(record);
    appendFileSync(join(dir, DECISIONS_FILE), `${line}\n`);
    appendChainLog(dir, `decision ${record.sequence} ${sha256(line)}`);
    return record;
  });
}
