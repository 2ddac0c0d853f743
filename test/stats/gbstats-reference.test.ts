// Values published in gbstats' own test suite (growthbook/growthbook, packages/stats/tests/
// frequentist/test_tests.py and bayesian/test_tests.py), rounded there to 5 decimals unless
// given in full. Only the numbers are carried over; the inputs are the same sufficient statistics.
import { describe, expect, it } from 'vitest';
import { compareTreatment, type ArmSufficientStats } from '../../src/stats/index.js';
import { expectClose, expectRounded } from './tolerance.js';

const mean = (n: number, sum: number, sumSquares: number): ArmSufficientStats => ({ kind: 'mean', n, y: { sum, sumSquares } });
const A3000 = mean(3000, 1396.87, 52377.9767);
const B = mean(3461, 2422.7, 134698.29);

// test_two_sided_ttest_test_runs_ratio_ra: RegressionAdjustedRatioStatistic pairs (m post, d post, m pre, d pre).
const RATIO_A: ArmSufficientStats = {
  kind: 'ratio',
  n: 100,
  y: { sum: 485.112236689623, sumSquares: 2715.484666118136 },
  d: { sum: 679.9093275844917, sumSquares: 4939.424001640236 },
  x: { sum: 192.59138069991536, sumSquares: 460.076026390857 },
  e: { sum: 290.1398399750233, sumSquares: 920.9461385038898 },
  cross: { yx: 1113.6215759318352, de: 2130.9404074446747, xe: 634.239482353647, yd: 3602.146836776702, ye: 1559.2878434944676, dx: 1460.3181079276983 },
};
const RATIO_B: ArmSufficientStats = {
  kind: 'ratio',
  n: 100,
  y: { sum: 514.7757826608777, sumSquares: 2994.897482705013 },
  d: { sum: 705.4090874383759, sumSquares: 5291.36604146392 },
  x: { sum: 206.94157227402536, sumSquares: 514.2903702246757 },
  e: { sum: 302.54389139107326, sumSquares: 994.4506208125663 },
  cross: { yx: 1237.0953021125997, de: 2292.081739775257, xe: 698.4173425817908, yd: 3918.1561431600717, ye: 1701.0287270040265, dx: 1604.0759503266522 },
};

describe('gbstats published values: regression-adjusted ratio', () => {
  it('fixed horizon, relative', () => {
    const r = compareTreatment(RATIO_A, RATIO_B).relative;
    expectRounded(r.lift, -0.0007);
    expectRounded(r.ci[0], -0.00841);
    expectRounded(r.ci[1], 0.007);
    expectRounded(r.se, 0.00391);
    expectRounded(r.pValue, 0.85771);
  });

  it('sequential, relative', () => {
    const r = compareTreatment(RATIO_A, RATIO_B, { sequential: true }).relative;
    expectRounded(r.lift, -0.0007);
    expectRounded(r.ci[0], -0.02063);
    expectRounded(r.ci[1], 0.01923);
    expectRounded(r.se, 0.00391);
    expect(r.pValue).toBe(1);
  });
});

describe('gbstats published values: sequential two-sided', () => {
  it('means, tuning 1000', () => {
    const r = compareTreatment(A3000, B, { sequential: { tuning: 1000 } }).relative;
    expectRounded(r.lift, 0.50336);
    expectRounded(r.ci[0], -0.55844);
    expectRounded(r.ci[1], 1.56516);
    expectRounded(r.se, 0.33341);
    expect(r.pValue).toBe(1);
  });

  it('proportions, default tuning 5000', () => {
    const p = (n: number, sum: number): ArmSufficientStats => ({ kind: 'proportion', n, y: { sum, sumSquares: sum } });
    const r = compareTreatment(p(3000, 1396), p(3461, 2422), { sequential: true }).relative;
    expectRounded(r.lift, 0.50386);
    expectRounded(r.ci[0], 0.40098);
    expectRounded(r.ci[1], 0.60675);
    expectRounded(r.se, 0.03386);
    expectRounded(r.pValue, 0);
  });

  it('CUPED means, default tuning', () => {
    const ra = (arm: ArmSufficientStats, pre: [number, number]): ArmSufficientStats => ({ ...arm, x: { sum: pre[0], sumSquares: pre[1] }, cross: { yx: 1 } });
    const c = compareTreatment(ra(A3000, [16.87, 527.9767]), ra(B, [22.7, 1348.29]), { sequential: true });
    const r = c.relative;
    expect(c.cuped).not.toBeNull();
    expectRounded(r.lift, 0.50338);
    expectRounded(r.ci[0], -0.50969);
    expectRounded(r.ci[1], 1.51646);
    expectRounded(r.se, 0.33341);
    expect(r.pValue).toBe(1);
  });

  it('is narrowest when the tuning parameter is near the sample size', () => {
    const width = (tuning: number) => {
      const ci = compareTreatment(A3000, B, { sequential: { tuning } }).relative.ci as [number, number];
      return ci[1] - ci[0];
    };
    expect(width(10)).toBeGreaterThan(width(10000));
    expect(width(10000)).toBeGreaterThan(width(6461));
  });
});

describe('gbstats published values: one-sided', () => {
  it('treatment greater, fixed horizon', () => {
    const c = compareTreatment(A3000, B, { sides: 'greater' });
    expectClose(c.relative.lift, 0.5033610858562358);
    expectClose(c.relative.ci[0]!, -0.045136675850396046);
    expect(c.relative.ci[1]).toBeNull();
    expectClose(c.relative.se, 0.3334122146400735);
    expectClose(c.relative.pValue, 0.06558262868467746);
    expectClose(c.absolute.lift, 0.23437666666666668);
    expectClose(c.absolute.ci[0]!, 0.020791480063255735);
    expectClose(c.absolute.se, 0.12983081254184736);
    expectClose(c.absolute.pValue, 0.03554272489873023);
  });

  it('treatment lesser, fixed horizon', () => {
    const c = compareTreatment(A3000, B, { sides: 'less' });
    expect(c.relative.ci[0]).toBeNull();
    expectClose(c.relative.ci[1]!, 1.0518588475628676);
    expectClose(c.relative.pValue, 0.9344173713153225);
    expectClose(c.absolute.ci[1]!, 0.44796185327007765);
    expectClose(c.absolute.pValue, 0.9644572751012698);
  });

  it('treatment greater, sequential', () => {
    const c = compareTreatment(A3000, B, { sides: 'greater', sequential: true });
    expectClose(c.relative.ci[0]!, -0.42356454602790883);
    expect(c.relative.ci[1]).toBeNull();
    expectClose(c.relative.pValue, 0.4999);
    expectClose(c.absolute.ci[0]!, -0.12656844172804982);
    expectClose(c.absolute.pValue, 0.46316491943359384);
  });

  it('treatment lesser, sequential', () => {
    const c = compareTreatment(A3000, B, { sides: 'less', sequential: true });
    expectClose(c.relative.ci[1]!, 1.4302867177403806);
    expectClose(c.relative.pValue, 0.4999);
    expectClose(c.absolute.ci[1]!, 0.5953217750613832);
    expectClose(c.absolute.pValue, 0.4999);
  });
});

describe('gbstats published values: Bayesian Gaussian effect', () => {
  it('proportions 49/100 vs 51/100, relative, flat prior', () => {
    const p = (sum: number): ArmSufficientStats => ({ kind: 'proportion', n: 100, y: { sum, sumSquares: sum } });
    const b = compareTreatment(p(49), p(51)).bayesian.relative;
    expectRounded(b.mean, 0.04082);
    expectRounded(b.ci[0], -0.24779);
    expectRounded(b.ci[1], 0.32943);
    expectRounded(b.sd, 0.14725);
    expectRounded(b.chanceToWin, 0.60918);
    expectRounded(b.risk[0], 0.0814);
    expectRounded(b.risk[1], 0.04058);
  });

  it('means 10 units each, relative, flat prior', () => {
    const b = compareTreatment(mean(10, 100, 1002.25), mean(10, 105, 1111.5)).bayesian.relative;
    expectRounded(b.mean, 0.05);
    expectRounded(b.ci[0], -0.02);
    expectRounded(b.ci[1], 0.12);
    expectRounded(b.sd, 0.03572);
    expectRounded(b.chanceToWin, 0.91923);
    expectRounded(b.risk[0], 0.05131);
    expectRounded(b.risk[1], 0.00131);
  });
});
