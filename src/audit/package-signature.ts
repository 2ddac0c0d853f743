import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_FILES } from '../compile/artifacts.js';
import { checkSignature } from './signing.js';

export interface SignatureCheck {
  /** The signing key's fingerprint when the signature holds. */
  signedBy: string | null;
  problems: { file: string; kind: 'changed' | 'missing' | 'added' | 'invalid'; message: string }[];
}

/**
 * signature.json signs SHA256SUMS. The manifest (listed in SHA256SUMS) says whether and by which key
 * the package is signed, so removing, adding or swapping the signature is caught.
 */
export function checkPackageSignature(dir: string, manifest: { signing?: { keyFingerprint: string } | null } | null): SignatureCheck {
  const path = join(dir, PACKAGE_FILES.signature);
  const expected = manifest?.signing?.keyFingerprint ?? null;
  const present = existsSync(path);
  const file = PACKAGE_FILES.signature;
  if (!present) return { signedBy: null, problems: expected ? [{ file, kind: 'missing', message: `the manifest says the package is signed by ${expected}, but signature.json is missing` }] : [] };
  if (!expected) return { signedBy: null, problems: [{ file, kind: 'added', message: 'signature.json is present but the manifest does not say the package is signed' }] };
  let record: { keyFingerprint?: string } | null = null;
  try {
    record = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return { signedBy: null, problems: [{ file, kind: 'invalid', message: 'not valid JSON' }] };
  }
  const bad = checkSignature(record, readFileSync(join(dir, PACKAGE_FILES.checksums)));
  if (bad) return { signedBy: null, problems: [{ file, kind: 'changed', message: bad }] };
  if (record!.keyFingerprint !== expected) return { signedBy: null, problems: [{ file, kind: 'changed', message: `signed by ${record!.keyFingerprint}, but the manifest names ${expected}` }] };
  return { signedBy: expected, problems: [] };
}
