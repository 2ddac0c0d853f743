import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { PACKAGE_FILES } from '../compile/artifacts.js';
import { checkPackageSignature } from '../audit/package-signature.js';
import { canonicalJson, sha256 } from '../util/digest.js';
import { checksumsText, parseChecksums } from './checksums.js';

export interface VerifyProblem {
  file: string;
  kind: 'changed' | 'missing' | 'added' | 'invalid';
  message: string;
}

export interface VerifyResult {
  dir: string;
  ok: boolean;
  files: number;
  problems: VerifyProblem[];
  /** Fingerprint of the key whose signature holds (signature.json), else null. */
  signedBy?: string | null;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return out;
}

/**
 * Recomputes every digest of a report package. Names each changed, missing or added file, and
 * checks that manifest.json, SHA256SUMS and results.json agree with each other.
 */
export function verifyPackage(dir: string): VerifyResult {
  const problems: VerifyProblem[] = [];
  let signedBy: string | null = null;
  const result = (files: number): VerifyResult => ({ dir, ok: problems.length === 0, files, problems, signedBy });
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    problems.push({ file: dir, kind: 'missing', message: 'not a directory' });
    return result(0);
  }
  const present = listFiles(dir);
  const sumsPath = join(dir, PACKAGE_FILES.checksums);
  if (!existsSync(sumsPath)) {
    problems.push({ file: PACKAGE_FILES.checksums, kind: 'missing', message: 'the checksum list is missing; nothing can be verified' });
    return result(present.length);
  }
  const sumsText = readFileSync(sumsPath, 'utf8');
  const listed = parseChecksums(sumsText);
  if (!listed) {
    problems.push({ file: PACKAGE_FILES.checksums, kind: 'invalid', message: 'not a valid sha256sum list' });
    return result(present.length);
  }
  if (checksumsText(listed) !== sumsText) {
    problems.push({ file: PACKAGE_FILES.checksums, kind: 'changed', message: 'the checksum list was edited (not in canonical order or form)' });
  }

  const recordedInManifest = (file: string): string | undefined => {
    try {
      return (JSON.parse(readFileSync(join(dir, PACKAGE_FILES.manifest), 'utf8')) as { files?: Record<string, string> }).files?.[file];
    } catch {
      return undefined;
    }
  };
  const actual = new Map<string, string>();
  for (const f of present) if (f !== PACKAGE_FILES.checksums && f !== PACKAGE_FILES.signature) actual.set(f, sha256(readFileSync(join(dir, f))));
  for (const [file, digest] of listed) {
    const got = actual.get(file);
    if (got === undefined) problems.push({ file, kind: 'missing', message: 'listed in SHA256SUMS but not present' });
    else if (got !== digest && recordedInManifest(file) === got) {
      // The file still matches manifest.json: the checksum line is what was edited.
      problems.push({ file: PACKAGE_FILES.checksums, kind: 'changed', message: `its line for ${file} was edited (the file matches manifest.json)` });
    } else if (got !== digest) problems.push({ file, kind: 'changed', message: `SHA-256 is ${got.slice(0, 12)}…, expected ${digest.slice(0, 12)}…` });
  }
  for (const file of actual.keys()) {
    if (!listed.has(file)) problems.push({ file, kind: 'added', message: 'present but not listed in SHA256SUMS' });
  }

  // The manifest's own list must match the checksum list, and the data digest must match the data.
  let manifest: { files?: Record<string, string>; dataDigest?: string; signing?: { keyFingerprint: string } | null } | null = null;
  try {
    manifest = JSON.parse(readFileSync(join(dir, PACKAGE_FILES.manifest), 'utf8'));
  } catch {
    problems.push({ file: PACKAGE_FILES.manifest, kind: 'invalid', message: 'missing or not valid JSON' });
  }
  if (manifest) {
    const inManifest = manifest.files ?? {};
    const expected = new Map([...listed].filter(([f]) => f !== PACKAGE_FILES.manifest));
    for (const [file, digest] of expected) {
      if (inManifest[file] !== digest) problems.push({ file, kind: 'changed', message: 'manifest.json and SHA256SUMS disagree about this file' });
    }
    for (const file of Object.keys(inManifest)) {
      if (!expected.has(file)) problems.push({ file, kind: 'added', message: 'listed in manifest.json but not in SHA256SUMS' });
    }
    try {
      const results = JSON.parse(readFileSync(join(dir, PACKAGE_FILES.results), 'utf8')) as { data?: unknown; dataDigest?: string };
      const recomputed = sha256(canonicalJson(results.data ?? null));
      if (recomputed !== results.dataDigest || recomputed !== manifest.dataDigest) {
        problems.push({ file: PACKAGE_FILES.results, kind: 'changed', message: 'the data digest does not match the data in results.json' });
      }
    } catch {
      problems.push({ file: PACKAGE_FILES.results, kind: 'invalid', message: 'missing or not valid JSON' });
    }
  }
  const signature = checkPackageSignature(dir, manifest);
  problems.push(...signature.problems);
  signedBy = signature.signedBy;
  // One problem per file and kind is enough to act on.
  const seen = new Set<string>();
  const unique = problems.filter((p) => !seen.has(`${p.file}\0${p.kind}`) && seen.add(`${p.file}\0${p.kind}`));
  problems.length = 0;
  problems.push(...unique);
  return result(present.length);
}
