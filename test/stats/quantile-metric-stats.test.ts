// Quantile metrics' statistics (src/stats/quantile-estimate.ts) against gbstats' published test values,
// and the order-statistic interval's properties.
import { describe, expect, it } from 'vitest';
import {
  compareVariants,
  eventQuantileRanks,
  eventShareVariance,
  quantileArmStats,
  quantileMinimumUnits,
  quantileOrderRanks,
  quantileOrderZ,
  quantileStandardError,
  standardNormalQuantile,
} from '../../src/stats/index.js';
import { expectClose } from './tolerance.js';

// gbstats bayesian/test_tests.py, TestGaussianEffectABTest: two unit-level QuantileStatistic arms (n, the
// quantile, the order statistics bounding its 95% interval); the published effects, flat and N(0, 1) prior.
const control = quantileArmStats({ n: 11054, estimate: 7.157987489967789, lower: 7.098780136176828, upper: 7.217194843758751 });
const treatment = quantileArmStats({ n: 10861, estimate: 7.694499927525767, lower: 7.64180598628119, upper: 7.747193868770344 });

describe('quantile arms as gbstats computes them', () => {
  it('gives gbstats’ absolute effect and credible interval under the flat prior', () => {
    const [c] = compareVariants([{ variant: 'a', stats: control }, { variant: 'b', stats: treatment }], { cuped: false }).comparisons;
    expectClose(c.bayesian.absolute.mean, 0.5365124375579775);
    expectClose(c.bayesian.absolute.ci[0]!, 0.45725595891154214);
    expectClose(c.bayesian.absolute.ci[1]!, 0.6157689162044129);
  });

  it('gives gbstats’ relative effect (delta method) under a N(0, 1) prior on the relative lift', () => {
    const [c] = compareVariants([{ variant: 'a', stats: control }, { variant: 'b', stats: treatment }], { cuped: false, prior: { mean: 0, variance: 1, proper: true } }).comparisons;
    expectClose(c.bayesian.relative.mean, 0.07495037261804469);
    expectClose(c.bayesian.relative.ci[0]!, 0.06340765898986044);
    expectClose(c.bayesian.relative.ci[1]!, 0.08649308624622894);
  });

  it('has per-unit variance (n - 1) se^2 with se = (upper - lower) / (2 z), so var(quantile) = (n - 1) / n se^2', () => {
    const s = quantileArmStats({ n: 400, estimate: 10, lower: 9, upper: 11.5 });
    const se = 2.5 / (2 * standardNormalQuantile(0.975));
    const unitVariance = (s.y.sumSquares - s.y.sum ** 2 / s.n) / (s.n - 1);
    expectClose(s.y.sum / s.n, 10);
    expectClose(unitVariance, 399 * se * se);
  });
});

describe('the order-statistic interval', () => {
  it('implies the density at the quantile: se f = sqrt(q (1 - q) / n)', () => {
    const arm = { n: 900, estimate: 0, lower: -0.1, upper: 0.1 };
    const { se, density } = quantileStandardError(arm, 0.5);
    expectClose(se, 0.2 / (2 * quantileOrderZ()));
    expectClose(se * density, Math.sqrt(0.25 / 900));
    expect(quantileStandardError({ n: 900, estimate: 3, lower: 3, upper: 3 }, 0.5)).toEqual({ se: 0, density: 0 });
  });

  it('brackets the quantile with ranks inside 1..n from gbstats’ minimum sample size on', () => {
    expect([0.5, 0.9, 0.99].map(quantileMinimumUnits)).toEqual([4, 35, 381]);
    for (const q of [0.5, 0.9, 0.99]) {
      const n = quantileMinimumUnits(q);
      const r = quantileOrderRanks(n, q);
      expect(n * q - quantileOrderZ() * Math.sqrt(n * q * (1 - q))).toBeGreaterThan(0);
      expect(r.lower).toBeGreaterThanOrEqual(1);
      // One unit fewer and the raw interval leaves the sample on one side.
      const m = n - 1;
      const raw = [m * q - quantileOrderZ() * Math.sqrt(m * q * (1 - q)), m * q + quantileOrderZ() * Math.sqrt(m * q * (1 - q))];
      expect(raw[0] <= 0 || raw[1] >= m).toBe(true);
    }
  });

  it('covers the true median of a uniform sample about 95% of the time (exact binomial check)', () => {
    // P(X_(l) <= median <= X_(u)) = P(l <= B <= u - 1) for B ~ Binomial(n, 1/2): computed exactly.
    const n = 200;
    const { lower, upper } = quantileOrderRanks(n, 0.5);
    let logC = 0;
    let cover = 0;
    for (let k = 0; k <= n; k++) {
      if (k > 0) logC += Math.log((n - k + 1) / k);
      if (k >= lower && k <= upper - 1) cover += Math.exp(logC + n * Math.log(0.5));
    }
    expect(cover).toBeGreaterThan(0.94);
    expect(cover).toBeLessThan(0.97);
  });
});

describe('event-level quantiles: the clustered variance of the share below the quantile', () => {
  it('with one event per unit reduces to the binomial variance F (1 - F) / (n - 1)', () => {
    // 100 units, one event each, 30 of them at or below the quantile.
    const v = eventShareVariance({ units: 100, events: 100, below: { sum: 30, sumSquares: 30 }, eventCount: { sum: 100, sumSquares: 100 }, belowTimesEvents: 30 });
    expectClose(v, (0.3 * 0.7) / 99);
  });

  it('follows the delta method for a ratio of unit means on a small example worked by hand', () => {
    // Units (m, e): (1, 2), (0, 1), (2, 3), (1, 1): F = 4 / 7, ebar = 7 / 4.
    const s = { units: 4, events: 7, below: { sum: 4, sumSquares: 6 }, eventCount: { sum: 7, sumSquares: 15 }, belowTimesEvents: 9 };
    const f = 4 / 7;
    const vm = (6 - 16 / 4) / 3;
    const ve = (15 - 49 / 4) / 3;
    const cme = (9 - 28 / 4) / 3;
    expectClose(eventShareVariance(s), (vm - 2 * f * cme + f * f * ve) / (4 * (7 / 4) ** 2));
    const r = eventQuantileRanks(s, 0.5);
    const half = quantileOrderZ() * 7 * Math.sqrt(eventShareVariance(s));
    expect(r).toEqual({ estimate: 4, lower: Math.max(1, Math.floor(3.5 - half)), upper: Math.min(7, Math.ceil(3.5 + half)) });
  });

  it('widens the interval when a unit’s events move together', () => {
    // Same shares below (half the events), but all-or-nothing per unit versus split within each unit.
    const together = eventShareVariance({ units: 200, events: 800, below: { sum: 400, sumSquares: 100 * 16 }, eventCount: { sum: 800, sumSquares: 200 * 16 }, belowTimesEvents: 100 * 16 });
    const split = eventShareVariance({ units: 200, events: 800, below: { sum: 400, sumSquares: 200 * 4 }, eventCount: { sum: 800, sumSquares: 200 * 16 }, belowTimesEvents: 200 * 8 });
    expect(together).toBeGreaterThan(split * 10);
    expect(split).toBe(0);
  });
});
