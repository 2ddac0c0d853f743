// CUPED edge cases and priors through compareTreatment, the real entry point the analysis uses.
import { describe, expect, it } from 'vitest';
import { compareTreatment } from '../../src/stats/index.js';
import type { ArmSufficientStats } from '../../src/stats/sufficient-stats.js';

// Mean arms built from explicit per-unit values, so every sum is checkable by hand.
function arm(ys: number[], xs?: number[]): ArmSufficientStats {
  const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
  const sq = (v: number[]) => v.reduce((a, b) => a + b * b, 0);
  return {
    kind: 'mean',
    n: ys.length,
    y: { sum: sum(ys), sumSquares: sq(ys) },
    ...(xs ? { x: { sum: sum(xs), sumSquares: sq(xs) }, cross: { yx: ys.reduce((a, y, i) => a + y * xs[i], 0) } } : {}),
  };
}
const seq = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));
const controlY = seq(400, (i) => 10 + ((i * 37) % 11));
const treatY = seq(400, (i) => 11 + ((i * 53) % 13));

describe('CUPED edge cases', () => {
  it('a zero-variance covariate adjusts nothing: theta 0, the unadjusted estimate, finite numbers', () => {
    const plain = compareTreatment(arm(controlY), arm(treatY));
    const flatX = compareTreatment(arm(controlY, controlY.map(() => 5)), arm(treatY, treatY.map(() => 5)));
    expect(flatX.cuped?.theta).toBe(0);
    expect(flatX.absolute.ok).toBe(true);
    expect(flatX.absolute.lift).toBeCloseTo(plain.absolute.lift, 12);
    expect(flatX.absolute.se).toBeCloseTo(plain.absolute.se, 12);
  });

  it('a covariate in one arm only is not used: same result as without', () => {
    const plain = compareTreatment(arm(controlY), arm(treatY));
    const oneSided = compareTreatment(arm(controlY, controlY.map((y) => y - 1)), arm(treatY));
    expect(oneSided.cuped).toBeNull();
    expect(oneSided.absolute).toEqual(plain.absolute);
    expect(oneSided.relative).toEqual(plain.relative);
  });

  it("a covariate that is zero in one arm (the pipeline's form of 'in one arm only': its layout always carries x) is used, by the CUPED identity", () => {
    const zeroX = controlY.map(() => 0);
    const treatX = treatY.map((y, i) => y + (i % 3));
    const r = compareTreatment(arm(controlY, zeroX), arm(treatY, treatX));
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    expect(r.cuped).not.toBeNull();
    expect(Number.isFinite(r.cuped!.theta)).toBe(true);
    // Adjusted lift = raw lift - theta * covariate difference: a pre-period this unequal moves the
    // estimate a lot, which is why PRE_PERIOD_IMBALANCE exists; the arithmetic itself must hold.
    expect(r.absolute.lift).toBeCloseTo(mean(treatY) - mean(controlY) - r.cuped!.theta * (mean(treatX) - mean(zeroX)), 9);
    expect(r.absolute.ok).toBe(true);
  });

  it('a correlated covariate reduces the variance (the control for the two cases above)', () => {
    const r = compareTreatment(arm(controlY, controlY.map((y, i) => y + (i % 3))), arm(treatY, treatY.map((y, i) => y + (i % 3))));
    expect(r.cuped!.varianceReduction).toBeGreaterThan(0.5);
  });

  it('control mean 0: the relative lift is not estimable and says why; the absolute one is', () => {
    const r = compareTreatment(arm(seq(400, (i) => (i % 2 ? 1 : -1))), arm(treatY));
    expect(r.relative.ok).toBe(false);
    expect(r.relative.message).toBeTruthy();
    expect(r.absolute.ok).toBe(true);
    expect(Number.isFinite(r.absolute.lift)).toBe(true);
  });

  it('control mean 0 with CUPED applied: the adjusted control mean is not 0, yet the relative lift stays not estimable', () => {
    const y = seq(400, (i) => (i % 2 ? 1 : -1));
    const r = compareTreatment(arm(y, y.map((v, i) => v + (i % 3))), arm(treatY, treatY.map((v, i) => v + (i % 3))));
    expect(r.cuped).not.toBeNull();
    expect(r.cuped!.controlMean).not.toBe(0);
    expect(r.relative.ok).toBe(false);
    expect(r.relative.message).toContain('Control mean is 0');
    expect(r.absolute.ok).toBe(true);
  });
});

describe('priors', () => {
  it('a proper prior pulls the posterior toward its mean, and a flat prior leaves the estimate alone', () => {
    const flat = compareTreatment(arm(controlY), arm(treatY));
    const strong = compareTreatment(arm(controlY), arm(treatY), { prior: { mean: 0, variance: 1e-6, proper: true } });
    const weak = compareTreatment(arm(controlY), arm(treatY), { prior: { mean: 0, variance: 1e6, proper: true } });
    expect(flat.bayesian.relative.mean).toBeCloseTo(flat.relative.lift, 9);
    expect(Math.abs(strong.bayesian.relative.mean)).toBeLessThan(Math.abs(flat.bayesian.relative.mean) / 10);
    expect(weak.bayesian.relative.mean).toBeCloseTo(flat.bayesian.relative.mean, 4);
    expect(strong.bayesian.relative.sd).toBeLessThan(flat.bayesian.relative.sd);
    // The frequentist numbers do not depend on the prior.
    expect(strong.relative).toEqual(flat.relative);
  });
});
