import { describe, expect, it } from 'vitest';
import { CHECKS, type CheckInputs } from '../../checks/index.js';
import { pairedTTest, type ArmSufficientStats } from '../../src/stats/index.js';

const check = (id: string) => CHECKS.find((c) => c.id === id)!;
const base: CheckInputs = { asOf: '2026-11-01T00:00:00Z', variants: [], multipleVariantUnits: 0, unknownVariantUnits: 0, sources: [] };

/** Sums of n values spread evenly around `mean` with sd close to `sd` (deterministic, no RNG needed). */
function sums(n: number, mean: number, sd: number): { n: number; sum: number; sumSquares: number } {
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < n; i++) {
    const v = mean + sd * Math.sqrt(3) * (2 * ((i + 0.5) / n) - 1);
    sum += v;
    sumSquares += v * v;
  }
  return { n, sum, sumSquares };
}

describe('EXPERIMENT_DRIFT', () => {
  const drift = check('experiment_drift');
  const paired = (mean: number, higherIsBetter = true) => {
    const s = sums(400, mean, 10);
    return { ...base, alpha: 0.05, paired: [{ metric: 'latency', variant: 'shadow', higherIsBetter, n: s.n, difference: pairedTTest({ n: s.n, sumDiff: s.sum, sumDiffSquares: s.sumSquares }) }] };
  };

  it('fails when the variant is worse than live beyond the tolerated drift, and passes within it', () => {
    expect(drift.evaluate(paired(-3), { max_drift: 0 }).passed).toBe(false);
    expect(drift.evaluate(paired(-3), { max_drift: 5 }).passed).toBe(true);
    expect(drift.evaluate(paired(3), { max_drift: 0 }).passed).toBe(true);
  });

  it('reads the harmful direction from the metric: up is harm when lower is better', () => {
    expect(drift.evaluate(paired(3, false), { max_drift: 0 }).passed).toBe(false);
    expect(drift.evaluate(paired(-3, false), { max_drift: 0 }).passed).toBe(true);
  });

  it('passes, saying so, when the spec has no paired metric', () => {
    const o = drift.evaluate(base, { max_drift: 0 });
    expect(o.passed).toBe(true);
    expect(o.message).toContain('No paired metric');
  });
});

describe('PRE_PERIOD_IMBALANCE', () => {
  const balance = check('pre_period_imbalance');
  const arm = (mean: number): ArmSufficientStats => {
    const s = sums(5000, mean, 3);
    return { kind: 'mean', n: s.n, y: { sum: s.sum, sumSquares: s.sumSquares } };
  };
  const inputs = (treatmentMean: number): CheckInputs => ({ ...base, prePeriod: [{ metric: 'revenue', arms: [{ variant: 'control', stats: arm(10) }, { variant: 'b', stats: arm(treatmentMean) }] }] });

  it('fails when the arms differ before exposure beyond chance, and passes when they match', () => {
    const bad = balance.evaluate(inputs(10.5), { p_value: 0.001 });
    expect(bad.passed).toBe(false);
    expect(bad.message).toContain('revenue');
    expect(balance.evaluate(inputs(10.01), { p_value: 0.001 }).passed).toBe(true);
  });
});
