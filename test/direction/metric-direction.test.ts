import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { bayesianEffect, compareTreatment } from '../../src/stats/index.js';
import { CLI } from '../helpers/demo-project.js';

// A handoff rate (lower is better) that falls from 19.7% to 17.1% is an improvement; a repeat-contact
// rate that rises is a loss. Chance to win and risk must say so, whatever sign the lift has.
const arm = (n: number, x: number) => ({ kind: 'proportion' as const, n, y: { sum: x, sumSquares: x } });
const fell = [arm(4000, 788), arm(4000, 684)] as const; // 19.7% -> 17.1%
const rose = [arm(4000, 400), arm(4000, 500)] as const; // 10.0% -> 12.5%

describe('metric direction', () => {
  it('a lower-is-better metric that improves has a high chance to win and little risk in choosing the variant', () => {
    const c = compareTreatment(fell[0], fell[1], { higherIsBetter: false }).bayesian.relative;
    expect(c.mean).toBeLessThan(0);
    expect(c.chanceToWin).toBeGreaterThan(0.99);
    expect(c.risk[1]).toBeLessThan(0.001);
    expect(c.risk[0]).toBeGreaterThan(0.1);
  });

  it('a lower-is-better metric that worsens has a low chance to win and the risk is in choosing the variant', () => {
    const c = compareTreatment(rose[0], rose[1], { higherIsBetter: false }).bayesian.relative;
    expect(c.mean).toBeGreaterThan(0);
    expect(c.chanceToWin).toBeLessThan(0.01);
    expect(c.risk[1]).toBeGreaterThan(0.1);
    expect(c.risk[0]).toBeLessThan(0.001);
  });

  it('turning the direction round mirrors chance to win and swaps the risks, leaving the posterior alone', () => {
    const up = bayesianEffect(0.05, 0.0009);
    const down = bayesianEffect(0.05, 0.0009, undefined, 0.05, false);
    expect(down.chanceToWin).toBeCloseTo(1 - up.chanceToWin, 12);
    expect(down.risk).toEqual([up.risk[1], up.risk[0]]);
    expect(down.ci).toEqual(up.ci);
    expect(down.mean).toBe(up.mean);
  });
});

describe('exptrack analyze --lower-is-better', () => {
  const dir = mkdtempSync(join(tmpdir(), 'exptrack-direction-'));
  const csv = join(dir, 'handoff.csv');
  writeFileSync(csv, 'variant,units,conversions\ncontrol,4000,788\nbot,4000,684\n');
  const run = async (args: string[]) => JSON.parse((await promisify(execFile)(process.execPath, [CLI, 'analyze', csv, '--json', ...args])).stdout);

  it('turns chance to win round for a metric that fell', async () => {
    const up = (await run([])).metrics[0].comparisons[0].bayesian.relative;
    const down = await run(['--lower-is-better']);
    const b = down.metrics[0].comparisons[0].bayesian.relative;
    expect(down.options.higherIsBetter).toBe(false);
    expect(up.chanceToWin).toBeLessThan(0.01);
    expect(b.chanceToWin).toBeGreaterThan(0.99);
    expect(b.risk).toEqual([up.risk[1], up.risk[0]]);
  });
});
