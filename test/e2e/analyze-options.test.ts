import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { quantileOrderRanks, standardNormalQuantile } from '../../src/stats/index.js';
import { CLI } from '../helpers/demo-project.js';

const exec = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'exptrack-analyze-options-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [CLI, ...args]);
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const json = async (args: string[]) => {
  const r = await cli([...args, '--json']);
  expect(r.code, r.stderr + r.stdout).toBe(0);
  return JSON.parse(r.stdout);
};

describe('exptrack analyze: quantile, lower-is-better and SRM options (issue #12)', () => {
  const srmFile = file('srm.csv', 'variant,units,conversions\ncontrol,1000,100\nb,1200,130\n');

  it('--help shows the quantile, inverse and weights options', async () => {
    const r = await cli(['analyze', '--help']);
    for (const flag of ['--quantile', '--inverse', 'lower is better', '--weights', 'SRM']) expect(r.stdout).toContain(flag);
  });

  it('--weights runs the SRM check of the conventions (units 1000 / 1200 at 50/50: p = 2.0079e-5, alert)', async () => {
    const doc = await json(['analyze', srmFile, '--weights', '0.5,0.5']);
    expect(doc.metrics[0].srm.pValue).toBeCloseTo(2.007865612426481e-5, 10);
    expect(doc.metrics[0].srm.alert).toBe(true);
    const named = await json(['analyze', srmFile, '--weights', 'b=0.545,control=0.455']);
    expect(named.metrics[0].srm.alert).toBe(false);
    expect((await cli(['analyze', srmFile, '--weights', '0.5,0.3,0.2'])).stderr).toContain('3 weights but metric');
  });

  it('--inverse turns the chance to win and the risks around; a higher_is_better column does the same', async () => {
    const plain = (await json(['analyze', srmFile])).metrics[0].comparisons[0].bayesian.relative;
    const inv = (await json(['analyze', srmFile, '--inverse'])).metrics[0];
    expect(inv.higherIsBetter).toBe(false);
    expect(inv.comparisons[0].bayesian.relative.chanceToWin).toBeCloseTo(1 - plain.chanceToWin, 12);
    expect(inv.comparisons[0].bayesian.relative.risk).toEqual([plain.risk[1], plain.risk[0]]);
    const col = file('col.csv', 'variant,units,conversions,higher_is_better\ncontrol,1000,100,false\nb,1200,130,false\n');
    expect((await json(['analyze', col])).metrics[0].comparisons[0].bayesian.relative.chanceToWin).toBeCloseTo(1 - plain.chanceToWin, 12);
    expect((await cli(['analyze', file('mixed.csv', 'variant,units,conversions,higher_is_better\ncontrol,1000,100,false\nb,1200,130,true\n')])).stderr).toContain('higher_is_better');
  });

  it('--quantile compares quantiles with the standard error implied by the order-statistic interval', async () => {
    const q = file('q.csv', 'variant,units,quantile,quantile_lower,quantile_upper\ncontrol,2000,310,295,327\nb,2100,280,268,293\n');
    const m = (await json(['analyze', q, '--quantile', '0.9'])).metrics[0];
    expect(m.kind).toBe('quantile');
    expect(m.quantile.ranks[0]).toEqual({ variant: 'control', ...quantileOrderRanks(2000, 0.9) });
    const z = standardNormalQuantile(0.975);
    // gbstats' unit-level quantile variance: (n - 1) / n se^2 for the quantile itself.
    const seA = ((327 - 295) / (2 * z)) * Math.sqrt(1999 / 2000);
    const seB = ((293 - 268) / (2 * z)) * Math.sqrt(2099 / 2100);
    const c = m.comparisons[0];
    expect(c.absolute.lift).toBeCloseTo(-30, 9);
    expect(c.absolute.se).toBeCloseTo(Math.sqrt(seA ** 2 + seB ** 2), 9);
    expect(c.relative.se).toBeCloseTo(Math.sqrt(seB ** 2 / 310 ** 2 + (seA ** 2 * 280 ** 2) / 310 ** 4), 9);
    expect((await cli(['analyze', q])).stderr).toContain('--quantile');
    expect((await cli(['analyze', file('bad-q.csv', 'variant,units,quantile,quantile_lower,quantile_upper\ncontrol,2000,310,315,327\nb,2100,280,268,293\n'), '--quantile', '0.9'])).stderr).toMatch(/bad-q\.csv:2: column quantile/);
  });
});

describe('quantile order-statistic ranks', () => {
  it('brackets n q by z sqrt(n q (1 - q)) and stays within 1..n', () => {
    expect(quantileOrderRanks(2000, 0.9)).toEqual({ estimate: 1800, lower: 1773, upper: 1827 });
    expect(quantileOrderRanks(10, 0.99)).toEqual({ estimate: 10, lower: 9, upper: 10 });
  });
});
