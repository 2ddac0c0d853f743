import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CLI } from '../helpers/demo-project.js';

const exec = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'exptrack-analyze-'));

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** Runs the built CLI as a whole process. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('exptrack analyze', () => {
  const means = file('means.csv', 'variant,units,sum,sum_squares\nA,3407,1396.87,52377.9767\nB,3461,2422.7,134698.29\n');

  it('has --help listing its options', async () => {
    const r = await cli(['analyze', '--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--json', '--alpha', '--sides', '--sequential', '--prior-mean', '--prior-sd', '--correction', '--control']) expect(r.stdout).toContain(flag);
  });

  it('prints a readout with the conventions numbers', async () => {
    const r = await cli(['analyze', means]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('metric metric (mean), control A');
    expect(r.stdout).toMatch(/relative lift \+70\.73% {2}95% CI \[-3\.53%, \+144\.99%\] {2}p = 0\.0619/);
    expect(r.stdout).toContain('chance to beat control');
  });

  it('--json prints exactly one JSON document with the documented fields', async () => {
    const r = await cli(['analyze', means, '--json', '--sides', 'greater', '--sequential', '--tuning', '1000', '--correction', 'bh', '--prior-sd', '0.5']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.options).toMatchObject({ alpha: 0.05, sides: 'greater', sequential: { tuning: 1000 }, correction: 'bh', prior: { mean: 0, variance: 0.25, proper: true } });
    const c = doc.metrics[0].comparisons[0];
    expect(c.relative.ci[1]).toBeNull();
    // pValueExact: only on a one-sided sequential p at gbstats' 0.4999 cap (the value corrections use).
    expect(Object.keys(c.relative).filter((k) => k !== 'pValueExact').sort()).toEqual(['ci', 'ciAdjusted', 'dof', 'lift', 'ok', 'pValue', 'pValueAdjusted', 'se'].sort());
    expect(Object.keys(c.bayesian.relative).sort()).toEqual(['chanceToWin', 'ci', 'mean', 'ok', 'risk', 'sd'].sort());
  });

  it('analyses several metrics and arms from JSON', async () => {
    const j = file('arms.json', JSON.stringify([
      { metric: 'conv', variant: 'control', units: 1000, conversions: 100 },
      { metric: 'conv', variant: 'b', units: 1000, conversions: 130 },
      { metric: 'conv', variant: 'c', units: 1000, conversions: 95 },
    ]));
    const r = await cli(['analyze', j, '--json', '--correction', 'holm']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.familySize).toBe(2);
    expect(doc.metrics[0].comparisons.map((c: { variant: string }) => c.variant)).toEqual(['b', 'c']);
    const b = doc.metrics[0].comparisons[0].relative;
    expect(b.pValueAdjusted).toBeGreaterThanOrEqual(b.pValue);
  });

  it('exits 2 with file, line and column for a bad cell, also under --json', async () => {
    const bad = file('bad.csv', 'variant,units,sum,sum_squares\nA,3407,1396.87,52377.9767\nB,3461,2422.7,abc\n');
    const r = await cli(['analyze', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad.csv:3: column sum_squares: not a number ("abc")');
    const j = await cli(['analyze', bad, '--json']);
    expect(j.code).toBe(2);
    expect(JSON.parse(j.stdout)).toMatchObject({ ok: false, exitCode: 2 });
  });

  it('exits 2 for conversions above units and for bad flags', async () => {
    const over = file('over.csv', 'variant,units,conversions\nA,10,11\nB,10,1\n');
    expect((await cli(['analyze', over])).stderr).toContain('over.csv:2: column conversions: 11 conversions > 10 units');
    const r = await cli(['analyze', means, '--alpha', '2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--alpha '2'");
  });
});
