import { describe, expect, it } from 'vitest';
import { compareTreatment, compareVariants, regressionAdjust, summarizeArm, type ArmSufficientStats } from '../../src/stats/index.js';
import { expectClose, expectPairClose } from './tolerance.js';

/** Sufficient statistics of explicit per-unit data, as the warehouse would sum them. */
function sums(kind: ArmSufficientStats['kind'], units: Array<{ y: number; d?: number; x?: number; e?: number }>): ArmSufficientStats {
  const m = (k: 'y' | 'd' | 'x' | 'e') => ({ sum: units.reduce((s, u) => s + (u[k] ?? 0), 0), sumSquares: units.reduce((s, u) => s + (u[k] ?? 0) ** 2, 0) });
  const p = (a: 'y' | 'd' | 'x', b: 'd' | 'x' | 'e') => units.reduce((s, u) => s + (u[a] ?? 0) * (u[b] ?? 0), 0);
  const arm: ArmSufficientStats = { kind, n: units.length, y: m('y'), cross: { yx: p('y', 'x') } };
  if (units[0].x !== undefined) arm.x = m('x');
  if (kind === 'ratio') {
    arm.d = m('d');
    arm.cross = { yd: p('y', 'd') };
    if (units[0].x !== undefined) {
      arm.e = m('e');
      arm.cross = { yd: p('y', 'd'), yx: p('y', 'x'), ye: p('y', 'e'), dx: p('d', 'x'), de: p('d', 'e'), xe: p('x', 'e') };
    }
  }
  return arm;
}

describe('ratio metrics (delta method)', () => {
  it('reduce to the mean metric when every denominator is 1', () => {
    const ys = [3, 1, 4, 1, 5, 9, 2, 6];
    const ratio = summarizeArm(sums('ratio', ys.map((y) => ({ y, d: 1 }))));
    const plain = summarizeArm(sums('mean', ys.map((y) => ({ y }))));
    expectClose(ratio.mean, plain.mean);
    expectClose(ratio.variance, plain.variance);
  });

  it('match the delta-method formula worked by hand', () => {
    // m = (2, 4, 6), d = (1, 2, 2): means 4 and 5/3; var_m = 4, var_d = 1/3, cov = 1;
    // variance = 4 / (25/9) + (1/3) 16 / (625/81) - 2 * 1 * 4 / (125/27).
    const r = summarizeArm(sums('ratio', [{ y: 2, d: 1 }, { y: 4, d: 2 }, { y: 6, d: 2 }]));
    expectClose(r.mean, 12 / 5);
    expectClose(r.variance, 4 / (25 / 9) + ((1 / 3) * 16) / (625 / 81) - (2 * 4) / (125 / 27));
  });
});

describe('CUPED', () => {
  // Control and treatment with a covariate; theta pooled over all 8 units by hand:
  // x = 1..4 in both arms (mean 2.5); y = x + (0, 1, 0, 1) in control (mean 3), x + 2 + (1, 0, 1, 0) in treatment (mean 5).
  const control = sums('mean', [1, 2, 3, 4].map((x, i) => ({ x, y: x + (i % 2) })));
  const treatment = sums('mean', [1, 2, 3, 4].map((x, i) => ({ x, y: x + 2 + ((i + 1) % 2) })));

  it('pools theta = cov(y, x) / var(x) over both arms', () => {
    // Pooled: x = 1,2,3,4,1,2,3,4; y = 1,3,3,5,4,4,6,6. cov = (sum xy - sum x sum y / 8) / 7.
    const xs = [1, 2, 3, 4, 1, 2, 3, 4];
    const ys = [1, 3, 3, 5, 4, 4, 6, 6];
    const sx = 20;
    const sy = 32;
    const sxy = xs.reduce((s, x, i) => s + x * ys[i], 0);
    const sxx = xs.reduce((s, x) => s + x * x, 0);
    const theta = (sxy - (sx * sy) / 8) / 7 / ((sxx - (sx * sx) / 8) / 7);
    const ra = regressionAdjust(control, treatment);
    expectClose(ra.theta, theta);
    expectClose(theta, 1);
    expectClose(ra.control.mean, 3 - theta * 2.5);
    expectClose(ra.treatment.mean, 5 - theta * 2.5);
  });

  it('removes all variance with a perfectly correlated covariate (y = 2x + 3 in both arms)', () => {
    const arm = (xs: number[]) => sums('mean', xs.map((x) => ({ x, y: 2 * x + 3 })));
    const ra = regressionAdjust(arm([1, 2, 3, 5]), arm([2, 3, 4, 7]));
    expectClose(ra.theta, 2);
    expectClose(ra.varianceReduction, 1);
    expect(Math.abs(ra.control.variance)).toBeLessThan(1e-9);
  });

  it('narrows the interval, reports the variance reduction, and divides relative lift by the unadjusted control mean', () => {
    const plain = compareTreatment(control, treatment, { cuped: false });
    const adjusted = compareTreatment(control, treatment);
    expect(adjusted.cuped).not.toBeNull();
    const ra = regressionAdjust(control, treatment);
    expectClose(adjusted.cuped!.varianceReduction, 1 - adjusted.absolute.se ** 2 / plain.absolute.se ** 2);
    expect(adjusted.absolute.se).toBeLessThan(plain.absolute.se);
    expectClose(adjusted.relative.lift, (ra.treatment.mean - ra.control.mean) / 3);
    expectClose(adjusted.control.mean, 3);
  });

  it('applies to proportions with the binomial covariance', () => {
    const units = (ys: number[], xs: number[]) => sums('proportion', ys.map((y, i) => ({ y, x: xs[i] })));
    const c = units([1, 0, 1, 0, 0, 1], [1, 0, 1, 1, 0, 0]);
    const t = units([1, 1, 1, 0, 1, 0], [1, 1, 0, 1, 1, 0]);
    // Pooled over 12 units: p_y = 7/12, p_x = 7/12, sum xy = 5 (2 in control + 3 in treatment).
    const cov = 5 / 12 - (7 * 7) / 144;
    const varX = (7 / 12) * (5 / 12);
    expectClose(regressionAdjust(c, t).theta, cov / varX);
  });

  it('leaves the ratio estimate alone when the covariate is left out', () => {
    const arm = (k: number) => sums('ratio', [1, 2, 3, 4, 5].map((i) => ({ y: i * k + (i % 2), d: i, x: i + 1, e: i })));
    const withX = compareTreatment(arm(1), arm(1.2));
    const without = compareTreatment(arm(1), arm(1.2), { cuped: false });
    expect(withX.cuped).not.toBeNull();
    expect(without.cuped).toBeNull();
    expectClose(without.control.mean, withX.control.mean);
  });
});

describe('several treatment arms', () => {
  const a = { kind: 'mean' as const, n: 3407, y: { sum: 1396.87, sumSquares: 52377.9767 } };
  const b = { kind: 'mean' as const, n: 3461, y: { sum: 2422.7, sumSquares: 134698.29 } };
  const c = { kind: 'mean' as const, n: 3300, y: { sum: 1500, sumSquares: 60000 } };

  it('compares each treatment with control, as pairwise comparisons would', () => {
    const r = compareVariants([{ variant: 'control', stats: a }, { variant: 'b', stats: b }, { variant: 'c', stats: c }]);
    expect(r.control).toBe('control');
    expect(r.comparisons.map((x) => x.variant)).toEqual(['b', 'c']);
    expect(r.comparisons[1].relative).toEqual(compareTreatment(a, c).relative);
    // Conventions vector 1 through the multi-arm entry point.
    expectClose(r.comparisons[0].relative.pValue, 0.06191182745618362);
    expectPairClose(r.comparisons[0].relative.ci as [number, number], [-0.03526008906611777, 1.449894235407581]);
  });

  it('takes the control by name and refuses an unknown one', () => {
    const r = compareVariants([{ variant: 'b', stats: b }, { variant: 'control', stats: a }], { controlVariant: 'control' });
    expect(r.comparisons[0].variant).toBe('b');
    expectClose(r.comparisons[0].absolute.pValue, 0.020158402643587037);
    expect(() => compareVariants([{ variant: 'b', stats: b }, { variant: 'a', stats: a }], { controlVariant: 'zz' })).toThrow(/zz/);
  });
});
