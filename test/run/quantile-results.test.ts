// The quantiles step's rows -> arms and comparisons (src/run/quantile-results.ts): the ranks the warehouse
// used must be the ones src/stats computes, and arms too small for the level make comparisons not estimable.
import { describe, expect, it } from 'vitest';
import { quantileArms, refuseSmallQuantileArms } from '../../src/run/quantile-results.js';
import type { ComparisonResult } from '../../src/run/results.js';
import type { ResolvedExperiment, ResolvedMetric } from '../../src/spec/types.js';
import { compareVariants, quantileOrderRanks } from '../../src/stats/index.js';

const exp = { controlKey: 'a', variants: [{ key: 'a', weight: 0.5, isControl: true }, { key: 'b', weight: 0.5, isControl: false }] } as unknown as ResolvedExperiment;
const metric = { name: 'lat_p90', quantile: { level: 0.9, ignoreZeros: false } } as unknown as ResolvedMetric;
const row = (variant: string, n: number, values: [number, number, number]) => {
  const r = quantileOrderRanks(n, 0.9);
  return { metric: 'lat_p90', variant, units: n, estimate_rank: r.estimate, lower_rank: r.lower, upper_rank: r.upper, lower_value: values[0], estimate: values[1], upper_value: values[2] };
};
const comparisons = (stats: ReturnType<typeof quantileArms>['stats']): ComparisonResult[] =>
  compareVariants(stats, { controlVariant: 'a' }).comparisons.map((c) => ({ variant: c.variant, absolute: c.absolute, relative: c.relative, cuped: null, unadjusted: null, bayesian: c.bayesian.relative }));

describe('quantile arms from the quantiles step', () => {
  it('reads each arm’s order statistics, its se and implied density', () => {
    const q = quantileArms(exp, metric, [row('a', 2000, [95, 100, 106]), row('b', 2100, [100, 105, 111])]);
    expect(q.result.arms.map((a) => [a.variant, a.n, a.estimate])).toEqual([['a', 2000, 100], ['b', 2100, 105]]);
    expect(q.result.minimumUnits).toBe(35);
    const [c] = comparisons(q.stats);
    expect(c.relative.ok).toBe(true);
    expect(refuseSmallQuantileArms(q.result, 'a', [c])[0]).toBe(c);
  });

  it('refuses rows whose ranks are not the ones the statistics expect', () => {
    const bad = { ...row('a', 2000, [95, 100, 106]), lower_rank: 1774 };
    expect(() => quantileArms(exp, metric, [bad, row('b', 2100, [100, 105, 111])])).toThrow(/warehouse used ranks .* for n = 2000/);
  });

  it('makes comparisons with an arm below the minimum not estimable, naming the arm and the minimum', () => {
    const q = quantileArms(exp, metric, [row('a', 2000, [95, 100, 106]), row('b', 30, [90, 104, 130])]);
    const [c] = refuseSmallQuantileArms(q.result, 'a', comparisons(q.stats));
    expect(c.relative.ok).toBe(false);
    expect(c.absolute.ok).toBe(false);
    expect(c.relative.message).toBe('Too few units in b for the p90 interval: a quantile at this level needs at least 35 units per arm.');
    expect(c.bayesian.chanceToWin).toBe(0.5);
  });

  it('treats an arm without rows as empty', () => {
    const q = quantileArms(exp, metric, [row('a', 2000, [95, 100, 106])]);
    expect(q.result.arms[1]).toMatchObject({ variant: 'b', n: 0 });
    expect(refuseSmallQuantileArms(q.result, 'a', comparisons(q.stats))[0].relative.ok).toBe(false);
  });
});
