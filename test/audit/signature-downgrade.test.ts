import { execFileSync, spawnSync } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { appendFileSync, cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordDecision } from '../../src/audit/decisions.js';
import { verifyExperiment, type VerifyOptions } from '../../src/audit/verify-experiment.js';
import { verifyPackage } from '../../src/report/verify-package.js';
import { canonicalJson, sha256 } from '../../src/util/digest.js';
import { CLI } from '../helpers/demo-project.js';
import { auditProject, KEY_ENV, newSigningKey, runExperiment } from './audit-project.js';
import { copyExperiment, fingerprintOf, forgeChain, resealPackage, rewriteChainLog } from './forge-chain.js';

/**
 * The tamper matrix: each forgery a writer of the reports folder can make, against a signed and an
 * unsigned experiment of three packages, verified plainly, with the signer's key pinned (`--key`),
 * and with the chain head kept outside the folder (`--expect-head`). `true` = must be caught.
 */
interface Case {
  name: string;
  forge: (dir: string, runs: string[]) => void;
  signed: { plain: boolean; key: boolean; head: boolean };
  unsigned: { plain: boolean; head: boolean };
}

const attacker = generateKeyPairSync('ed25519').privateKey;
const CASES: Case[] = [
  {
    name: 'newest package edited, signature.json deleted, manifest.signing = null, resealed, chain.log rewritten (the reported downgrade)',
    forge: (d, r) => forgeChain(d, r, 2, null),
    signed: { plain: true, key: true, head: true },
    unsigned: { plain: false, head: true },
  },
  {
    name: 'newest package edited and re-signed by another key, chain.log rewritten',
    forge: (d, r) => forgeChain(d, r, 2, attacker),
    signed: { plain: true, key: true, head: true },
    unsigned: { plain: false, head: true },
  },
  {
    name: 'middle package edited, resealed unsigned, chain.log rewritten (the next package still links the old digest)',
    forge: (d, r) => {
      writeFileSync(join(d, r[1], 'report.md'), '# Ship it\n');
      resealPackage(join(d, r[1]), null);
      rewriteChainLog(d, r);
    },
    signed: { plain: true, key: true, head: true },
    unsigned: { plain: true, head: true },
  },
  {
    name: 'whole chain rewritten unsigned, every link and chain.log recomputed',
    forge: (d, r) => forgeChain(d, r, 0, null),
    signed: { plain: false, key: true, head: true },
    unsigned: { plain: false, head: true },
  },
  {
    name: 'whole chain re-signed by another key',
    forge: (d, r) => forgeChain(d, r, 0, attacker),
    signed: { plain: false, key: true, head: true },
    unsigned: { plain: false, head: true },
  },
  {
    name: 'newest package and its chain.log line removed together',
    forge: (d, r) => {
      rmSync(join(d, r[2]), { recursive: true });
      rewriteChainLog(d, r.slice(0, 2));
    },
    signed: { plain: false, key: false, head: true },
    unsigned: { plain: false, head: true },
  },
  {
    name: 'a forged unsigned package appended after the newest, chain.log extended',
    forge: (d, r) => {
      const forged = '20991231T000000Z-f0f0f0';
      cpSync(join(d, r[2]), join(d, forged), { recursive: true });
      forgeChain(d, [...r, forged], 3, null);
      const m = JSON.parse(readFileSync(join(d, forged, 'manifest.json'), 'utf8'));
      expect(m.chain.sequence).toBe(4);
      resealPackage(join(d, forged), null, (x) => void (x.runId = forged));
      rewriteChainLog(d, [...r, forged]);
    },
    signed: { plain: true, key: true, head: true },
    unsigned: { plain: false, head: true },
  },
];

const experiments: Record<'signed' | 'unsigned', { dir: string; runs: string[]; head: string }> = {} as never;
let keyFingerprint: string;
const saved = process.env[KEY_ENV];

async function threeRuns(signing: boolean) {
  const project = await auditProject({ signing });
  for (let i = 0; i < 3; i++) await runExperiment(project);
  const dir = join(project, 'reports', 'checkout_redesign');
  const seq = (n: string) => JSON.parse(readFileSync(join(dir, n, 'manifest.json'), 'utf8')).chain.sequence as number;
  const runs = readdirSync(dir).filter((n) => /^\d{8}T/.test(n)).sort((a, b) => seq(a) - seq(b));
  const head = readFileSync(join(dir, 'chain.log'), 'utf8').trim().split('\n').at(-1)!.split(' ')[3];
  return { dir, runs, head, project };
}

let signedProject: string;
beforeAll(async () => {
  process.env[KEY_ENV] = newSigningKey();
  keyFingerprint = fingerprintOf(createPrivateKey(readFileSync(process.env[KEY_ENV]!)));
  const s = await threeRuns(true);
  signedProject = s.project;
  experiments.signed = s;
  experiments.unsigned = await threeRuns(false);
});
afterAll(() => {
  if (saved === undefined) delete process.env[KEY_ENV];
  else process.env[KEY_ENV] = saved;
});

describe('the tamper matrix', () => {
  it('untouched experiments pass plainly, with the key pinned and with the kept head (the control)', () => {
    const s = experiments.signed;
    expect(verifyExperiment(s.dir).ok).toBe(true);
    expect(verifyExperiment(s.dir, { trustedKeys: [keyFingerprint], expectHead: s.head }).ok).toBe(true);
    expect(verifyExperiment(experiments.unsigned.dir, { expectHead: experiments.unsigned.head }).ok).toBe(true);
    expect(verifyExperiment(s.dir).signedPackages).toBe(3);
  });

  for (const c of CASES) {
    for (const mode of ['signed', 'unsigned'] as const) {
      it(`${mode}: ${c.name}`, () => {
        const { dir: original, runs, head } = experiments[mode];
        const dir = copyExperiment(original);
        c.forge(dir, runs);
        const expected = c[mode] as Record<string, boolean>;
        const ways: Record<string, VerifyOptions> = { plain: {}, head: { expectHead: head }, ...(mode === 'signed' ? { key: { trustedKeys: [keyFingerprint] } } : {}) };
        for (const [way, opts] of Object.entries(ways)) {
          const v = verifyExperiment(dir, opts);
          expect(v.ok, `${way}: ${JSON.stringify(v.chain)}`).toBe(!expected[way]);
        }
      });
    }
  }

  it('the reported downgrade is named: the newest package is unsigned after signed ones, and no "signed by" is claimed for it', () => {
    const { dir: original, runs } = experiments.signed;
    const dir = copyExperiment(original);
    forgeChain(dir, runs, 2, null);
    // On its own the forged package is consistent: only the experiment's signing rule catches it.
    expect(verifyPackage(join(dir, runs[2])).ok).toBe(true);
    const v = verifyExperiment(dir);
    expect(v.chain).toContainEqual(expect.objectContaining({ subject: runs[2], kind: 'unsigned' }));
    expect(v.signedPackages).toBe(2);
  });

  it('a package re-signed by another key names both keys', () => {
    const dir = copyExperiment(experiments.signed.dir);
    forgeChain(dir, experiments.signed.runs, 2, attacker);
    const problem = verifyExperiment(dir).chain.find((c) => c.kind === 'untrusted');
    expect(problem?.message).toContain(fingerprintOf(attacker));
    expect(problem?.message).toContain(keyFingerprint);
  });
});

describe('without signing, a decision pins the digest', () => {
  // chain.log's package lines rewritten to the forged digests; its decision lines and decisions.jsonl kept,
  // as a forger who knows the format would do.
  const rewritePackageLines = (dir: string) => {
    const log = readFileSync(join(dir, 'chain.log'), 'utf8').split('\n');
    const digestOf = (runId: string) => sha256(readFileSync(join(dir, runId, 'SHA256SUMS')));
    writeFileSync(join(dir, 'chain.log'), log.map((l) => (l.startsWith('package ') ? l.split(' ').slice(0, 3).concat(digestOf(l.split(' ')[2])).join(' ') : l)).join('\n'));
  };

  it('the newest package forged and chain.log rewritten passes plain verify, but not once a decision recorded its digest', async () => {
    const { dir: original, runs } = experiments.unsigned;
    const bare = copyExperiment(original);
    forgeChain(bare, runs, 2, null);
    // The control: with nothing outside the package pinning it, an unsigned forgery is consistent.
    expect(verifyExperiment(bare).ok).toBe(true);

    const decided = copyExperiment(original);
    await recordDecision({ reportsDir: dirname(decided), experiment: basename(decided), decision: 'ship', variant: 'one_page', by: 'ana', note: 'shipped on this package', signer: null });
    expect(verifyExperiment(decided).ok).toBe(true);
    writeFileSync(join(decided, runs[2], 'report.md'), '# Ship it\n\nForged.\n');
    resealPackage(join(decided, runs[2]), null, (m) => void (m.chain = JSON.parse(readFileSync(join(original, runs[2], 'manifest.json'), 'utf8')).chain));
    rewritePackageLines(decided);
    const v = verifyExperiment(decided);
    expect(v.ok).toBe(false);
    // Only the decision catches it: every package verifies and every other link holds.
    expect(v.packages.every((p) => p.ok)).toBe(true);
    expect(v.chain.length).toBeGreaterThan(0);
    for (const c of v.chain) expect(c.message).toContain('whose digest is not that of any package here');
  });
});

describe('verify data digest', () => {
  it("edited data with every file digest recomputed is caught only by the data-digest check", () => {
    const dir = copyExperiment(experiments.unsigned.dir);
    const pkg = join(dir, experiments.unsigned.runs[0]);
    const results = JSON.parse(readFileSync(join(pkg, 'results.json'), 'utf8'));
    const text = JSON.stringify(results.data);
    const edited = text.replace(/"units":(\d+)/, (_m, n: string) => `"units":${Number(n) + 1}`);
    expect(edited).not.toBe(text);
    results.data = JSON.parse(edited);
    writeFileSync(join(pkg, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    resealPackage(pkg, null);
    expect(verifyPackage(pkg).problems).toEqual([{ file: 'results.json', kind: 'changed', message: 'the data digest does not match the data in results.json' }]);
  });

  // The digest is kept twice (results.json and manifest.json): a forger who rewrites one copy to match
  // edited data is caught by the other. Each case fails if its half of verify's comparison is deleted.
  const editedPackage = () => {
    const dir = copyExperiment(experiments.unsigned.dir);
    const pkg = join(dir, experiments.unsigned.runs[0]);
    const results = JSON.parse(readFileSync(join(pkg, 'results.json'), 'utf8'));
    results.data = JSON.parse(JSON.stringify(results.data).replace(/"units":(\d+)/, (_m, n: string) => `"units":${Number(n) + 1}`));
    return { pkg, results, forged: sha256(canonicalJson(results.data)) };
  };
  const DATA_PROBLEM = [{ file: 'results.json', kind: 'changed', message: 'the data digest does not match the data in results.json' }];

  it("results.json's digest rewritten to match the edited data, the manifest's kept: caught", () => {
    const { pkg, results, forged } = editedPackage();
    expect(forged).not.toBe(results.dataDigest);
    results.dataDigest = forged;
    writeFileSync(join(pkg, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    resealPackage(pkg, null);
    expect(verifyPackage(pkg).problems).toEqual(DATA_PROBLEM);
  });

  it("the manifest's digest rewritten to match the edited data, results.json's kept: caught", () => {
    const { pkg, results, forged } = editedPackage();
    writeFileSync(join(pkg, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    resealPackage(pkg, null, (m) => void (m.dataDigest = forged));
    expect(verifyPackage(pkg).problems).toEqual(DATA_PROBLEM);
  });

  it('both copies rewritten to match the edited data: the package is consistent on its own, so only the chain catches it', () => {
    const { pkg, results, forged } = editedPackage();
    results.dataDigest = forged;
    writeFileSync(join(pkg, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    resealPackage(pkg, null, (m) => void (m.dataDigest = forged));
    expect(verifyPackage(pkg).problems).toEqual([]);
    const v = verifyExperiment(join(pkg, '..'));
    expect(v.ok).toBe(false);
  });
});

describe('the CLI: list --json heads, verify --expect-head and --key, trusted keys in exptrack.yaml', () => {
  const run = (args: string[], cwd: string) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });

  it('list --json prints the chain head that verify --expect-head accepts; another digest fails', () => {
    const listed = JSON.parse(execFileSync(process.execPath, [CLI, 'list', '--json'], { cwd: signedProject, encoding: 'utf8' }));
    const head = listed.experiments[0].head;
    expect(head).toEqual({ sequence: 3, runId: experiments.signed.runs[2], digest: experiments.signed.head });
    expect(run(['verify', 'reports/checkout_redesign', '--expect-head', head.digest], signedProject).status).toBe(0);
    expect(run(['verify', 'reports', '--expect-head', `checkout_redesign=${head.digest}`], signedProject).status).toBe(0);
    const wrong = run(['verify', 'reports/checkout_redesign', '--expect-head', 'a'.repeat(64)], signedProject);
    expect(wrong.status).toBe(1);
    expect(wrong.stdout).toContain('CHAIN HEAD chain.log');
  });

  it('verify --key pins the signer; a malformed fingerprint is refused', () => {
    expect(run(['verify', 'reports/checkout_redesign', '--key', keyFingerprint], signedProject).status).toBe(0);
    const other = run(['verify', 'reports/checkout_redesign', '--key', fingerprintOf(attacker)], signedProject);
    expect(other.status).toBe(1);
    expect(other.stdout).toContain('UNTRUSTED');
    const bad = run(['verify', 'reports/checkout_redesign', '--key', 'abc'], signedProject);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('not a key fingerprint');
  });

  it('verify.trusted_keys in exptrack.yaml pins the signer without a flag', () => {
    const project = signedProject;
    const config = readFileSync(join(project, 'exptrack.yaml'), 'utf8');
    try {
      appendFileSync(join(project, 'exptrack.yaml'), `verify: { trusted_keys: ['${fingerprintOf(attacker)}'] }\n`);
      expect(run(['verify', 'reports/checkout_redesign'], project).status).toBe(1);
      writeFileSync(join(project, 'exptrack.yaml'), `${config}verify: { trusted_keys: ['${keyFingerprint}'] }\n`);
      expect(run(['verify', 'reports/checkout_redesign'], project).status).toBe(0);
    } finally {
      writeFileSync(join(project, 'exptrack.yaml'), config);
    }
  });
});
