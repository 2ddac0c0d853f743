import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordDecision, type DecisionRecord } from '../../src/audit/decisions.js';
import { listExperiments } from '../../src/audit/experiment-index.js';
import { loadSigner } from '../../src/audit/signing.js';
import { verifyExperiment } from '../../src/audit/verify-experiment.js';
import { sha256 } from '../../src/util/digest.js';
import { auditProject, KEY_ENV, newSigningKey, runExperiment } from './audit-project.js';

let project: string;
let reports: string;
const saved = process.env[KEY_ENV];
const signer = () => loadSigner({ keyEnv: KEY_ENV });
const base = { by: 'ana.lopez', note: 'primary metric up, guardrails flat' };
const lines = (exp: string) => readFileSync(join(reports, exp, 'decisions.jsonl'), 'utf8').split('\n').filter(Boolean);
const copyOf = (exp: string) => {
  const dir = join(mkdtempSync(join(tmpdir(), 'exptrack-decisions-')), exp);
  cpSync(join(reports, exp), dir, { recursive: true });
  return dir;
};

beforeAll(async () => {
  process.env[KEY_ENV] = newSigningKey();
  project = await auditProject({ signing: true });
  reports = join(project, 'reports');
  await runExperiment(project, 'checkout_redesign');
  await runExperiment(project, 'pricing_banner');
});
afterAll(() => {
  if (saved === undefined) delete process.env[KEY_ENV];
  else process.env[KEY_ENV] = saved;
});

describe('decisions', () => {
  it('records a decision that follows the recommendation without acknowledgement, linked to the package digest and signed', async () => {
    const r = await recordDecision({ reportsDir: reports, experiment: 'checkout_redesign', decision: 'ship', ...base, signer: signer() });
    expect(r).toMatchObject({ sequence: 1, decision: 'ship', variant: 'one_page', acknowledgement: null, previous: null });
    const pkg = join(reports, 'checkout_redesign', r.package.runId);
    expect(r.package.digest).toBe(sha256(readFileSync(join(pkg, 'SHA256SUMS'))));
    expect(r.signature?.keyFingerprint).toBe(signer()!.keyFingerprint);
    const v = verifyExperiment(join(reports, 'checkout_redesign'));
    expect(v.ok).toBe(true);
    expect(v.decisions).toBe(1);
  });

  it('refuses to override the recommendation without --acknowledge, and records the departure with it', async () => {
    const over = { reportsDir: reports, experiment: 'pricing_banner', decision: 'ship', variant: 'banner', ...base, signer: signer() };
    await expect(recordDecision(over)).rejects.toThrow(/overrides the recommendation rerun with ship.*--acknowledge/);
    const r = await recordDecision({ ...over, acknowledge: 'the SRM comes from a known logging gap on the treatment' });
    expect(r.acknowledgement?.departures[0]).toMatch(/overrides the recommendation rerun/);
  });

  it('needs --acknowledge to ship a variant planned for more than half of traffic', async () => {
    // decide reads the planned weights from the package's results.json: plan 40/60 and run again.
    const spec = join(project, 'specs', 'checkout_redesign.yaml');
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('{ key: control, weight: 0.5 }', '{ key: control, weight: 0.4 }').replace('{ key: one_page, weight: 0.5 }', '{ key: one_page, weight: 0.6 }'));
    await runExperiment(project, 'checkout_redesign');
    const ship = { reportsDir: reports, experiment: 'checkout_redesign', decision: 'ship', variant: 'one_page', ...base, signer: signer() };
    const rejected = await recordDecision(ship).catch((e: Error) => e.message);
    expect(rejected).toMatch(/planned to get 60% of traffic/);
    const r = await recordDecision({ ...ship, acknowledge: 'ramp decided with the product lead' });
    expect(r.sequence).toBe(2);
    expect(r.previous).toBe(sha256(lines('checkout_redesign')[0]));
    const log = readFileSync(join(reports, 'checkout_redesign', r.package.runId, 'CHANGELOG.md'), 'utf8');
    expect(log).toContain('variant weights changed 50/50 → 40/60: comparisons across this change are invalid');
  });

  it('appears in list and index.md', () => {
    const l = listExperiments(reports);
    expect(l.map((e) => e.id)).toEqual(['checkout_redesign', 'pricing_banner']);
    expect(l[0]).toMatchObject({ runs: 2, decision: { decision: 'ship', variant: 'one_page', by: 'ana.lopez' } });
    expect(l[1].latest?.failedChecks).toContainEqual({ reasonCode: 'SRM_DETECTED', severity: 'error' });
  });

  it('an edited record is caught', () => {
    const dir = copyOf('checkout_redesign');
    const ls = readFileSync(join(dir, 'decisions.jsonl'), 'utf8').split('\n');
    ls[0] = ls[0].replace('"by":"ana.lopez"', '"by":"someone.else"');
    writeFileSync(join(dir, 'decisions.jsonl'), ls.join('\n'));
    const v = verifyExperiment(dir);
    expect(v.ok).toBe(false);
    const messages = v.chain.filter((c) => c.subject === 'decisions.jsonl').map((c) => c.message).join('\n');
    expect(messages).toMatch(/line 1: the signature .* does not match/);
    expect(messages).toMatch(/line 2: does not link to the record before it/);
  });

  it('an edited record with the hash links and chain.log rewritten is still caught by its signature', () => {
    const dir = copyOf('checkout_redesign');
    const ls = readFileSync(join(dir, 'decisions.jsonl'), 'utf8').split('\n').filter(Boolean);
    const recs = ls.map((l) => JSON.parse(l) as DecisionRecord);
    recs[0].note = 'forged';
    let prev: string | null = null;
    const out = recs.map((r) => {
      r.previous = prev;
      const line = JSON.stringify(r);
      prev = sha256(line);
      return line;
    });
    writeFileSync(join(dir, 'decisions.jsonl'), `${out.join('\n')}\n`);
    const log = readFileSync(join(dir, 'chain.log'), 'utf8').split('\n').map((l) => (l.startsWith('decision ') ? `decision ${l.split(' ')[1]} ${sha256(out[Number(l.split(' ')[1]) - 1])}` : l));
    writeFileSync(join(dir, 'chain.log'), log.join('\n'));
    const v = verifyExperiment(dir);
    expect(v.chain.map((c) => c.message).join('\n')).toMatch(/line 1: the signature/);
  });

  it('a deleted record is caught, the last one through chain.log', () => {
    const first = copyOf('checkout_redesign');
    const ls = readFileSync(join(first, 'decisions.jsonl'), 'utf8').split('\n').filter(Boolean);
    writeFileSync(join(first, 'decisions.jsonl'), `${ls[1]}\n`);
    expect(verifyExperiment(first).chain.map((c) => c.message).join('\n')).toMatch(/sequence 2, expected 1/);
    const last = copyOf('checkout_redesign');
    writeFileSync(join(last, 'decisions.jsonl'), `${ls[0]}\n`);
    const v = verifyExperiment(last);
    expect(v.ok).toBe(false);
    expect(v.chain).toContainEqual(expect.objectContaining({ subject: 'decisions.jsonl', kind: 'missing' }));
  });

  it('refuses bad input and tampered history with a clear message', async () => {
    const ok = { reportsDir: reports, experiment: 'checkout_redesign', ...base, signer: null };
    await expect(recordDecision({ ...ok, decision: 'launch' })).rejects.toThrow(/must be one of ship, iterate, stop, rerun/);
    await expect(recordDecision({ ...ok, decision: 'ship', variant: 'two_page', acknowledge: 'x' })).rejects.toThrow(/not a variant/);
    await expect(recordDecision({ ...ok, decision: 'iterate', note: ' ' })).rejects.toThrow(/--note/);
    await expect(recordDecision({ ...ok, experiment: 'nope', decision: 'stop' })).rejects.toThrow(/no packages for experiment 'nope'/);
    const dir = copyOf('pricing_banner');
    writeFileSync(join(dir, 'decisions.jsonl'), '');
    await expect(recordDecision({ ...ok, reportsDir: join(dir, '..'), experiment: 'pricing_banner', decision: 'rerun' })).rejects.toThrow(/does not verify/);
  });
});
