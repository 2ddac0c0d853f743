import { describe, expect, it } from 'vitest';
import { bayesianEffect, standardNormalQuantile } from '../../src/stats/index.js';
import { expectClose } from './tolerance.js';

// gbstats bayesian/test_tests.py, TestGaussianEffectABTest: quantile statistics whose variance is
// (n - 1) ((upper - lower) / (2 z_0.975))^2 per unit; the published values are given in full.
const z = standardNormalQuantile(0.975);
const nC = 11054;
const nT = 10861;
const qC = 7.157987489967789;
const qT = 7.694499927525767;
const varMean = (n: number, lo: number, hi: number) => ((n - 1) * ((hi - lo) / (2 * z)) ** 2) / n;
const vC = varMean(nC, 7.098780136176828, 7.217194843758751);
const vT = varMean(nT, 7.64180598628119, 7.747193868770344);
const absLift = qT - qC;
const absVar = vC + vT;
const relLift = absLift / qC;
const relVar = vT / qC ** 2 + (vC * qT ** 2) / qC ** 4;
const informative = { mean: 0, variance: 1, proper: true };

describe('bayesianEffect', () => {
  it('matches gbstats with an improper flat prior', () => {
    const b = bayesianEffect(absLift, absVar);
    expectClose(b.mean, 0.5365124375579775);
    expectClose(b.ci[0]!, 0.45725595891154214);
    expectClose(b.ci[1]!, 0.6157689162044129);
  });

  it('matches gbstats with a proper prior N(0, 1) on the relative scale, absolute and relative', () => {
    // gbstats states the prior on the relative scale and rescales it by the control mean for
    // absolute lifts (variance times mean^2), as compareTreatment does.
    const a = bayesianEffect(absLift, absVar, { mean: 0, variance: qC * qC, proper: true });
    expectClose(a.mean, 0.536495315442269);
    expectClose(a.ci[0]!, 0.4572401014910488);
    expectClose(a.ci[1]!, 0.6157505293934893);
    const r = bayesianEffect(relLift, relVar, informative);
    expectClose(r.mean, 0.07495037261804469);
    expectClose(r.ci[0]!, 0.06340765898986044);
    expectClose(r.ci[1]!, 0.08649308624622894);
  });

  it('matches gbstats with a nearly flat proper prior N(0, 1e6)', () => {
    expectClose(bayesianEffect(absLift, absVar, { mean: 0, variance: 1e6 * qC * qC, proper: true }).mean, 0.536512437540855);
  });

  it('has risks whose difference is the posterior mean and chance to win 1/2 at mean 0', () => {
    const b = bayesianEffect(0.3, 0.04);
    expectClose(b.risk[0] - b.risk[1], 0.3);
    const zero = bayesianEffect(0, 1);
    expect(zero.chanceToWin).toBe(0.5);
    // E max(0, N(0, 1)) = 1 / sqrt(2 pi)
    expectClose(zero.risk[0], 1 / Math.sqrt(2 * Math.PI));
  });

  it('refuses a non-positive variance and an improper-looking proper prior', () => {
    expect(bayesianEffect(1, 0).ok).toBe(false);
    expect(() => bayesianEffect(1, 1, { mean: 0, variance: 0, proper: true })).toThrow(RangeError);
  });
});
