import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ARCHIVE_FILE, PACKAGE_FILES } from '../compile/artifacts.js';
import { verifyPackage, type VerifyResult } from '../report/verify-package.js';
import { CHAIN_LOG, chainHead, DECISIONS_FILE, listPackages, readChainLog } from './chain.js';
import { checkDecisions, signedBytes } from './decisions.js';
import { checkSigningPolicy } from './signing-policy.js';
import { checkSignature } from './signing.js';

export { ARCHIVE_FILE };

export interface ChainProblem {
  /** The package (run id) or file the problem is about. */
  subject: string;
  kind: 'missing' | 'replaced' | 'reordered' | 'unchained' | 'edited' | 'invalid' | 'unsigned' | 'untrusted' | 'head';
  message: string;
}

export interface ExperimentVerifyResult {
  dir: string;
  ok: boolean;
  packages: VerifyResult[];
  chain: ChainProblem[];
  decisions: number;
  /** Fingerprints of the keys whose signatures hold, over packages and decisions. */
  keys: string[];
  /** The newest package of the chain (chain.log's last package line): what `--expect-head` compares. */
  head: { sequence: number; runId: string; digest: string } | null;
  /** How many chained packages carry a signature that holds. */
  signedPackages: number;
}

export interface VerifyOptions {
  /** Only signatures by these keys count; every package and decision must carry one (`verify --key`). */
  trustedKeys?: string[];
  /** The chain head kept outside the reports folder (`verify --expect-head`): the newest package's digest. */
  expectHead?: string;
}

/**
 * Verifies an experiment's folder (reports/<experiment>, or an archive of it): every package, the
 * chain that links them (each manifest names its predecessor's digest; chain.log lists them in
 * order), the decision records, and ARCHIVE.json when present. Each problem names its package or file.
 */
export function verifyExperiment(dir: string, opts: VerifyOptions = {}): ExperimentVerifyResult {
  const entries = listPackages(dir);
  const packages = entries.map((p) => verifyPackage(p.dir));
  const chain: ChainProblem[] = [];
  const push = (subject: string, kind: ChainProblem['kind'], message: string) => chain.push({ subject, kind, message });

  const chained = entries.filter((p) => p.manifest?.chain);
  // Packages written before chaining existed (manifest schemaVersion 1, older than every chained
  // package) are verified on their own and left out of the chain.
  const firstChained = chained.map((p) => p.name).sort()[0];
  const legacy = new Set(entries.filter((p) => p.manifest?.schemaVersion === 1 && !p.manifest.chain && (!firstChained || p.name < firstChained)).map((p) => p.name));
  for (const p of entries) {
    if (p.manifest && p.manifest.runId !== p.name) push(p.name, 'reordered', `the directory is named ${p.name} but its manifest says run ${String(p.manifest.runId)} (moved or swapped)`);
    if (p.manifest && !p.manifest.chain && !legacy.has(p.name)) push(p.name, 'unchained', 'the manifest has no chain link to a previous package (written outside exptrack)');
  }
  const bySeq = new Map<number, typeof entries>();
  for (const p of chained) bySeq.set(p.manifest!.chain!.sequence, [...(bySeq.get(p.manifest!.chain!.sequence) ?? []), p]);
  const top = Math.max(0, ...bySeq.keys());
  for (let k = 1; k <= top; k++) {
    const here = bySeq.get(k) ?? [];
    if (here.length === 0) push(`sequence ${k}`, 'missing', `no package with chain sequence ${k}: it was deleted`);
    if (here.length > 1) push(here.map((p) => p.name).join(', '), 'replaced', `${here.length} packages claim chain sequence ${k}`);
    for (const p of here) {
      const prev = p.manifest!.chain!.previous;
      if (k === 1) {
        if (prev !== null) push(p.name, 'missing', `links to a previous package ${prev.runId} that is not here`);
        continue;
      }
      const before = bySeq.get(k - 1) ?? [];
      if (!prev) push(p.name, 'unchained', `has sequence ${k} but no link to a previous package`);
      else if (!before.some((b) => b.digest === prev.digest)) {
        const named = before.map((b) => b.name).join(', ') || prev.runId;
        push(named, 'replaced', `${p.name} links to ${prev.runId} with digest ${prev.digest.slice(0, 12)}…, but ${named} now has digest ${before[0]?.digest?.slice(0, 12) ?? 'none'}…: ${named} was replaced or edited`);
      }
    }
  }

  const log = readChainLog(dir);
  for (const e of log.errors) push(CHAIN_LOG, 'edited', e);
  const logged = log.lines.filter((l) => l.kind === 'package');
  if (entries.length && logged.length === 0 && chained.length) push(CHAIN_LOG, 'missing', 'chain.log is missing or lists no package');
  logged.forEach((l, i) => {
    if (l.kind !== 'package') return;
    if (l.sequence !== i + 1) push(CHAIN_LOG, 'edited', `line ${l.line}: sequence ${l.sequence}, expected ${i + 1}`);
    const p = entries.find((x) => x.name === l.runId);
    if (!p) push(l.runId, 'missing', `listed in chain.log (sequence ${l.sequence}) but the package is gone: it was deleted or renamed`);
    else if (p.digest !== l.digest) push(l.runId, 'replaced', `its digest differs from the one chain.log recorded when it was written: the package was replaced or edited`);
    else if (p.manifest?.chain?.sequence !== l.sequence) push(l.runId, 'reordered', `chain.log puts it at sequence ${l.sequence}, its manifest says ${String(p.manifest?.chain?.sequence)}`);
  });
  if (logged.length) for (const p of entries) if (!legacy.has(p.name) && !logged.some((l) => l.kind === 'package' && l.runId === p.name)) push(p.name, 'unchained', 'not listed in chain.log: added outside exptrack');

  const digests = new Set(entries.map((p) => p.digest).filter((d): d is string => d !== null));
  const decisions = checkDecisions(dir, digests);
  for (const m of decisions.problems) push(DECISIONS_FILE, 'edited', m);
  const loggedDecisions = log.lines.filter((l) => l.kind === 'decision');
  loggedDecisions.forEach((l, i) => {
    if (l.kind !== 'decision') return;
    if (decisions.hashes[i] === undefined) push(DECISIONS_FILE, 'missing', `decision ${l.sequence} recorded in chain.log is gone from decisions.jsonl (deleted)`);
    else if (decisions.hashes[i] !== l.hash) push(DECISIONS_FILE, 'edited', `decision ${i + 1} differs from the record chain.log holds (edited or replaced)`);
  });
  if (decisions.hashes.length > loggedDecisions.length && log.lines.length) push(DECISIONS_FILE, 'edited', `${decisions.hashes.length - loggedDecisions.length} decision(s) not recorded in chain.log (added outside exptrack)`);

  const archivePath = join(dir, ARCHIVE_FILE);
  if (existsSync(archivePath)) {
    try {
      const a = JSON.parse(readFileSync(archivePath, 'utf8')) as { packages: { runId: string; digest: string }[]; decisions: string[] };
      for (const p of a.packages) if (!entries.some((e) => e.name === p.runId && e.digest === p.digest)) push(p.runId, 'missing', 'listed in ARCHIVE.json but missing or different in the archive');
      for (const e of entries) if (!a.packages.some((p) => p.runId === e.name)) push(e.name, 'unchained', 'in the archive folder but not listed in ARCHIVE.json');
      if (JSON.stringify(a.decisions) !== JSON.stringify(decisions.hashes)) push(DECISIONS_FILE, 'edited', 'the decision records differ from those ARCHIVE.json lists');
    } catch {
      push(ARCHIVE_FILE, 'invalid', 'not valid JSON');
    }
  }

  // Signatures: once signed, always signed, by the same (or a trusted) key.
  const verdicts = new Map(entries.map((e, i) => [e.name, packages[i]]));
  const inChain = chained.slice().sort((a, b) => a.manifest!.chain!.sequence - b.manifest!.chain!.sequence);
  const signedPackages = inChain.map((p) => ({ subject: p.name, claimsSigned: !!(p.manifest as { signing?: unknown }).signing, signedBy: verdicts.get(p.name)?.signedBy ?? null }));
  const signedDecisions = decisions.records.map((r, i) => ({
    subject: `${DECISIONS_FILE} line ${i + 1}`,
    claimsSigned: !!r.signature,
    signedBy: r.signature && !checkSignature(r.signature, signedBytes(r)) ? r.signature.keyFingerprint : null,
  }));
  for (const p of checkSigningPolicy(signedPackages, signedDecisions, opts.trustedKeys ?? [])) push(p.subject, p.kind, p.message);

  const newest = chainHead(dir);
  const head = newest ? { sequence: newest.sequence, runId: newest.runId, digest: newest.digest } : null;
  if (opts.expectHead !== undefined && head?.digest !== opts.expectHead) {
    push(CHAIN_LOG, 'head', `the newest package's digest is ${head ? `${head.digest} (${head.runId})` : 'absent'}, but the kept head is ${opts.expectHead}: packages were removed, replaced or added since the head was kept`);
  }

  const keys = [...new Set([...packages.map((p) => p.signedBy).filter((k): k is string => !!k), ...decisions.keys])].sort();
  // One chain problem per subject and kind.
  const seen = new Set<string>();
  const unique = chain.filter((c) => !seen.has(`${c.subject}\0${c.kind}\0${c.message}`) && seen.add(`${c.subject}\0${c.kind}\0${c.message}`));
  return { dir, ok: packages.every((p) => p.ok) && unique.length === 0, packages, chain: unique, decisions: decisions.records.length, keys, head, signedPackages: signedPackages.filter((p) => p.signedBy).length };
}

/** What a path given to `exptrack verify` is: a package, an experiment folder, or a reports folder. */
export function classifyPath(dir: string): 'package' | 'experiment' | 'reports' | 'unknown' {
  if (!existsSync(dir)) return 'unknown';
  // A folder with nothing but hidden leftovers (.lock, .tmp-*): an experiment whose first run never
  // finished (a full disk, a kill). It has no packages; that is not a failure.
  if (statSync(dir).isDirectory() && readdirSync(dir).every((n) => n.startsWith('.'))) return 'experiment';
  if (existsSync(join(dir, PACKAGE_FILES.checksums)) || existsSync(join(dir, PACKAGE_FILES.manifest))) return 'package';
  if (existsSync(join(dir, CHAIN_LOG)) || existsSync(join(dir, DECISIONS_FILE)) || existsSync(join(dir, ARCHIVE_FILE)) || listPackages(dir).some((p) => p.digest)) return 'experiment';
  if (listPackages(dir).some((p) => classifyPath(p.dir) === 'experiment')) return 'reports';
  return 'unknown';
}
