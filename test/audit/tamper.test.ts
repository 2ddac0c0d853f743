import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSignature } from '../../src/audit/signing.js';
import { verifyExperiment } from '../../src/audit/verify-experiment.js';
import { checksumsText } from '../../src/report/checksums.js';
import { verifyPackage } from '../../src/report/verify-package.js';
import { auditProject, KEY_ENV, newSigningKey, runExperiment } from './audit-project.js';

const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');
// The same forgeries against a signed and an unsigned experiment: without signing they must be caught
// by the checksums, the data digest and the chain alone.
const MODES = ['signed', 'unsigned'] as const;
type Mode = (typeof MODES)[number];
const experiments = {} as Record<Mode, { dir: string; runs: string[] }>;
let experimentDir: string;
let runs: string[];
let keyFingerprint: string;

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

/** A copy of the whole experiment folder to tamper with. */
function copyOf(source: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'exptrack-chain-')), 'checkout_redesign');
  cpSync(source, dir, { recursive: true });
  return dir;
}
const copy = () => copyOf(experimentDir);

/** Rewrites a package so it is consistent on its own: manifest file list, SHA256SUMS, and no signature. */
function reseal(pkg: string, edit: (manifest: Record<string, unknown>) => void): void {
  const manifest = JSON.parse(readFileSync(join(pkg, 'manifest.json'), 'utf8'));
  edit(manifest);
  rmSync(join(pkg, 'signature.json'), { force: true });
  delete manifest.signing;
  const listed = files(pkg).filter((f) => !['manifest.json', 'SHA256SUMS'].includes(f));
  manifest.files = Object.fromEntries(listed.map((f) => [f, sha(readFileSync(join(pkg, f)))]));
  writeFileSync(join(pkg, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const sums = new Map([...listed, 'manifest.json'].map((f) => [f, sha(readFileSync(join(pkg, f)))]));
  writeFileSync(join(pkg, 'SHA256SUMS'), checksumsText(sums));
}

const saved = process.env[KEY_ENV];
async function threeRuns(signing: boolean): Promise<{ dir: string; runs: string[] }> {
  const project = await auditProject({ signing });
  for (let i = 0; i < 3; i++) await runExperiment(project);
  const dir = join(project, 'reports', 'checkout_redesign');
  // In chain order: run ids of runs started in the same second do not sort by time.
  const sequence = (n: string) => JSON.parse(readFileSync(join(dir, n, 'manifest.json'), 'utf8')).chain.sequence as number;
  return { dir, runs: readdirSync(dir).filter((n) => /^\d{8}T/.test(n)).sort((a, b) => sequence(a) - sequence(b)) };
}

beforeAll(async () => {
  process.env[KEY_ENV] = newSigningKey();
  experiments.signed = await threeRuns(true);
  experiments.unsigned = await threeRuns(false);
  ({ dir: experimentDir, runs } = experiments.signed);
  keyFingerprint = JSON.parse(readFileSync(join(experimentDir, runs[0], 'signature.json'), 'utf8')).keyFingerprint;
}, 120_000);
afterAll(() => {
  if (saved === undefined) delete process.env[KEY_ENV];
  else process.env[KEY_ENV] = saved;
});

describe('a signed, chained experiment', () => {
  it('verifies whole, names the signing key, and chains each package to the one before', () => {
    expect(runs).toHaveLength(3);
    const v = verifyExperiment(experimentDir);
    expect(v.chain).toEqual([]);
    expect(v.ok).toBe(true);
    expect(v.keys).toEqual([keyFingerprint]);
    expect(keyFingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    const m = (i: number) => JSON.parse(readFileSync(join(experimentDir, runs[i], 'manifest.json'), 'utf8'));
    expect(m(0).chain).toEqual({ sequence: 1, previous: null });
    expect(m(2).chain.previous).toEqual({ runId: runs[1], digest: sha(readFileSync(join(experimentDir, runs[1], 'SHA256SUMS'))) });
    expect(files(join(experimentDir, runs[0]))).toEqual(expect.arrayContaining(['CHANGELOG.md', 'signature.json', 'sql/04_fingerprints.sql', 'spec/checkout_redesign.yaml', 'models/sources.yaml']));
    expect(verifyPackage(join(experimentDir, runs[0])).signedBy).toBe(keyFingerprint);
  });
});

describe.each(MODES)('tampering with one file of a package (%s)', (mode) => {
  const kinds = ['report.md', 'results.json', 'manifest.json', 'SHA256SUMS', 'sql/04_fingerprints.sql', 'sql/02_metrics.sql', 'spec/checkout_redesign.yaml', 'models/metrics.yaml', 'CHANGELOG.md', ...(mode === 'signed' ? ['signature.json'] : [])];
  for (const file of kinds) {
    it(`is detected and named: ${file}`, () => {
      const runs = experiments[mode].runs;
      const dir = copyOf(experiments[mode].dir);
      const pkg = join(dir, runs[1]);
      const text = readFileSync(join(pkg, file), 'utf8');
      // A plausible edit, not noise: change a character in the middle of the content.
      const at = Math.floor(text.length / 2);
      const edited = file === 'signature.json' ? text.replace(/"signature": "(.)/, (_m, c: string) => `"signature": "${c === 'A' ? 'B' : 'A'}`) : `${text.slice(0, at)}${text[at] === '7' ? '8' : '7'}${text.slice(at + 1)}`;
      expect(edited).not.toBe(text);
      writeFileSync(join(pkg, file), edited);
      const v = verifyPackage(pkg);
      expect(v.ok, file).toBe(false);
      expect(v.problems.map((p) => p.file), file).toContain(file);
      // The experiment check fails too, through this package.
      const e = verifyExperiment(dir);
      expect(e.ok).toBe(false);
      expect(e.packages.find((p) => p.dir === pkg)?.ok).toBe(false);
    });
  }

  it.runIf(mode === 'unsigned')('an unsigned package carries no signature to tamper with', () => {
    expect(files(join(experiments.unsigned.dir, experiments.unsigned.runs[0]))).not.toContain('signature.json');
  });

  it.runIf(mode === 'signed')('a removed signature is named, since the manifest says the package is signed', () => {
    const dir = copy();
    rmSync(join(dir, runs[0], 'signature.json'));
    expect(verifyPackage(join(dir, runs[0])).problems).toContainEqual(expect.objectContaining({ file: 'signature.json', kind: 'missing' }));
  });

  it.runIf(mode === 'signed')('a valid signature by another key is named', () => {
    const dir = copy();
    const pkg = join(dir, runs[0]);
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const sig = JSON.parse(readFileSync(join(pkg, 'signature.json'), 'utf8'));
    sig.publicKey = publicKey.export({ type: 'spki', format: 'pem' });
    sig.keyFingerprint = `sha256:${sha(publicKey.export({ type: 'spki', format: 'der' }))}`;
    sig.signature = sign(null, readFileSync(join(pkg, 'SHA256SUMS')), privateKey).toString('base64');
    expect(checkSignature(sig, readFileSync(join(pkg, 'SHA256SUMS')))).toBeNull();
    writeFileSync(join(pkg, 'signature.json'), JSON.stringify(sig));
    const v = verifyPackage(pkg);
    expect(v.problems).toContainEqual(expect.objectContaining({ file: 'signature.json', kind: 'changed' }));
    expect(v.problems[0].message).toContain(keyFingerprint);
  });
});

describe.each(MODES)('tampering with the chain (%s)', (mode) => {
  let runs: string[];
  let copy: () => string;
  beforeAll(() => {
    runs = experiments[mode].runs;
    copy = () => copyOf(experiments[mode].dir);
  });

  it('an edited package whose checksum list is edited to match breaks the link from the next one, named', () => {
    const dir = copy();
    const pkg = join(dir, runs[0]);
    writeFileSync(join(pkg, 'report.md'), '# nothing to see\n');
    const sums = readFileSync(join(pkg, 'SHA256SUMS'), 'utf8').replace(/^[0-9a-f]{64}(?= {2}report\.md$)/m, sha('# nothing to see\n'));
    writeFileSync(join(pkg, 'SHA256SUMS'), sums);
    const e = verifyExperiment(dir);
    expect(e.chain).toContainEqual(expect.objectContaining({ subject: runs[0], kind: 'replaced' }));
    expect(e.packages.find((p) => p.dir === pkg)!.problems.map((p) => p.file)).toContain('report.md');
  });

  it('a deleted package in the middle is named', () => {
    const dir = copy();
    rmSync(join(dir, runs[1]), { recursive: true });
    const e = verifyExperiment(dir);
    expect(e.ok).toBe(false);
    expect(e.chain).toContainEqual(expect.objectContaining({ subject: runs[1], kind: 'missing' }));
    expect(e.chain).toContainEqual(expect.objectContaining({ subject: 'sequence 2', kind: 'missing' }));
  });

  it('a deleted newest package is named through chain.log', () => {
    const dir = copy();
    rmSync(join(dir, runs[2]), { recursive: true });
    expect(verifyExperiment(dir).chain).toContainEqual(expect.objectContaining({ subject: runs[2], kind: 'missing' }));
  });

  it('reordered packages (directories swapped) are named', () => {
    const dir = copy();
    renameSync(join(dir, runs[0]), join(dir, 'tmp'));
    renameSync(join(dir, runs[1]), join(dir, runs[0]));
    renameSync(join(dir, 'tmp'), join(dir, runs[1]));
    const e = verifyExperiment(dir);
    expect(e.chain).toContainEqual(expect.objectContaining({ subject: runs[0], kind: 'reordered' }));
    expect(e.chain).toContainEqual(expect.objectContaining({ subject: runs[1], kind: 'reordered' }));
  });

  it('a whole package replaced by a self-consistent forgery without the chain link is named', () => {
    const dir = copy();
    const pkg = join(dir, runs[1]);
    const results = JSON.parse(readFileSync(join(pkg, 'results.json'), 'utf8'));
    results.decision.recommendation = 'stop';
    writeFileSync(join(pkg, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    reseal(pkg, (m) => {
      m.recommendation = 'stop';
      delete m.chain;
    });
    // On its own the forgery passes: every digest matches.
    expect(verifyPackage(pkg).ok).toBe(true);
    const e = verifyExperiment(dir);
    expect(e.ok).toBe(false);
    expect(e.chain).toContainEqual(expect.objectContaining({ subject: runs[1], kind: 'unchained' }));
    expect(e.chain).toContainEqual(expect.objectContaining({ subject: runs[1], kind: 'replaced' }));
  });

  it('a forgery that keeps the chain link is still named: its digest is not the one the next package and chain.log recorded', () => {
    const dir = copy();
    const pkg = join(dir, runs[1]);
    writeFileSync(join(pkg, 'report.md'), '# Ship it\n');
    reseal(pkg, () => undefined);
    expect(verifyPackage(pkg).ok).toBe(true);
    const e = verifyExperiment(dir);
    expect(e.chain.filter((c) => c.subject === runs[1]).map((c) => c.kind)).toContain('replaced');
  });

  it('a package from before chaining (schemaVersion 1, older than the chain) verifies on its own and stays out of the chain', () => {
    const dir = copy();
    const old = '20200101T000000Z-0a0a0a';
    cpSync(join(dir, runs[0]), join(dir, old), { recursive: true });
    reseal(join(dir, old), (m) => {
      m.schemaVersion = 1;
      m.runId = old;
      delete m.chain;
    });
    expect(verifyExperiment(dir)).toMatchObject({ ok: true, chain: [] });
    // The same package dated after the chain started is not legacy.
    const late = '20991231T000000Z-0b0b0b';
    renameSync(join(dir, old), join(dir, late));
    expect(verifyExperiment(dir).chain).toContainEqual(expect.objectContaining({ subject: late, kind: 'unchained' }));
  });

  it('an edited chain.log is named', () => {
    const dir = copy();
    const log = readFileSync(join(dir, 'chain.log'), 'utf8').split('\n');
    writeFileSync(join(dir, 'chain.log'), [log[0], log[2], ''].join('\n'));
    const e = verifyExperiment(dir);
    expect(e.ok).toBe(false);
    expect(e.chain.map((c) => c.subject)).toEqual(expect.arrayContaining(['chain.log', runs[1]]));
  });
});
