import { createHash, sign, type KeyObject, createPublicKey } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, sep } from 'node:path';
import { checksumsText } from '../../src/report/checksums.js';

/** What a forger with write access to the reports folder (and the code of exptrack) can do. */
const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

export const fingerprintOf = (key: KeyObject) => `sha256:${sha(createPublicKey(key).export({ type: 'spki', format: 'der' }))}`;

/**
 * Makes a package consistent on its own after `edit`: manifest file list, SHA256SUMS, and either no
 * signature (`signWith` null, manifest.signing = null) or a valid signature by the forger's key.
 */
export function resealPackage(pkg: string, signWith: KeyObject | null, edit: (manifest: Record<string, unknown>) => void = () => undefined): string {
  const manifest = JSON.parse(readFileSync(join(pkg, 'manifest.json'), 'utf8'));
  edit(manifest);
  rmSync(join(pkg, 'signature.json'), { force: true });
  manifest.signing = signWith ? { keyFingerprint: fingerprintOf(signWith) } : null;
  const listed = files(pkg).filter((f) => !['manifest.json', 'SHA256SUMS'].includes(f));
  manifest.files = Object.fromEntries(listed.map((f) => [f, sha(readFileSync(join(pkg, f)))]));
  writeFileSync(join(pkg, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const sums = checksumsText(new Map([...listed, 'manifest.json'].map((f) => [f, sha(readFileSync(join(pkg, f)))])));
  writeFileSync(join(pkg, 'SHA256SUMS'), sums);
  if (signWith) {
    const publicKey = createPublicKey(signWith);
    const record = { algorithm: 'ed25519', keyFingerprint: fingerprintOf(signWith), publicKey: publicKey.export({ type: 'spki', format: 'pem' }), signature: sign(null, Buffer.from(sums), signWith).toString('base64') };
    writeFileSync(join(pkg, 'signature.json'), `${JSON.stringify(record, null, 2)}\n`);
  }
  return sha(sums);
}

/** chain.log rewritten from the packages' current digests, in the given order. */
export function rewriteChainLog(experimentDir: string, runs: string[]): void {
  const lines = runs.map((r, i) => `package ${i + 1} ${r} ${sha(readFileSync(join(experimentDir, r, 'SHA256SUMS')))}`);
  writeFileSync(join(experimentDir, 'chain.log'), `${lines.join('\n')}\n`);
}

/**
 * Rewrites packages runs[from..] (editing report.md of the first one), relinking each to its
 * predecessor's new digest, re-sealed unsigned or with the forger's key, then rewrites chain.log.
 */
export function forgeChain(experimentDir: string, runs: string[], from: number, signWith: KeyObject | null): void {
  writeFileSync(join(experimentDir, runs[from], 'report.md'), '# Ship it\n\nForged.\n');
  for (let i = from; i < runs.length; i++) {
    const previous = i === 0 ? null : { runId: runs[i - 1], digest: sha(readFileSync(join(experimentDir, runs[i - 1], 'SHA256SUMS'))) };
    resealPackage(join(experimentDir, runs[i]), signWith, (m) => {
      m.chain = { sequence: i + 1, previous };
    });
  }
  rewriteChainLog(experimentDir, runs);
}

/** A copy of an experiment folder to tamper with (same folder name, so --expect-head by name works). */
export function copyExperiment(experimentDir: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'exptrack-forge-')), basename(experimentDir));
  cpSync(experimentDir, dir, { recursive: true });
  return dir;
}
