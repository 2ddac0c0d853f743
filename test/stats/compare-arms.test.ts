import { describe, expect, it } from 'vitest';
import { compareArms, studentTQuantile, type ArmSums } from '../../src/stats/index.js';
import { expectClose } from './tolerance.js';

// Units 1, 2, 3, 4: mean 2.5, variance 5/3.
const ARM: ArmSums = { n: 4, sum: 10, sumSquares: 30 };

describe('compareArms', () => {
  it('gives lift 0, p 1 and a CI centred on 0 for identical arms', () => {
    const c = compareArms('mean', ARM, ARM);
    for (const r of [c.absolute, c.relative]) {
      expect(r.ok).toBe(true);
      expect(r.lift).toBe(0);
      expect(r.pValue).toBe(1);
      expectClose(r.ci[0], -r.ci[1]);
    }
  });

  it('reduces Welch dof to 2 (n - 1) for equal n and variances', () => {
    // (2v/n)^2 / (2 (v/n)^2 / (n - 1)) = 2 (n - 1)
    const c = compareArms('mean', ARM, { n: 4, sum: 14, sumSquares: 54 });
    expectClose(c.absolute.dof, 6);
    expect(c.relative.dof).toBe(c.absolute.dof);
  });

  it('computes the absolute se and CI from the closed forms', () => {
    // Treatment units 2, 3, 4, 5: mean 3.5, variance 5/3; se = sqrt(2 (5/3) / 4).
    const r = compareArms('mean', ARM, { n: 4, sum: 14, sumSquares: 54 }).absolute;
    const se = Math.sqrt(5 / 6);
    expectClose(r.lift, 1);
    expectClose(r.se, se);
    const half = studentTQuantile(0.975, 6) * se;
    expectClose(r.ci[0], 1 - half);
    expectClose(r.ci[1], 1 + half);
  });

  it('widens the CI for smaller alpha without changing the p-value', () => {
    const b = { n: 4, sum: 14, sumSquares: 54 };
    const wide = compareArms('mean', ARM, b, 0.01).absolute;
    const narrow = compareArms('mean', ARM, b, 0.05).absolute;
    expect(wide.ci[1] - wide.ci[0]).toBeGreaterThan(narrow.ci[1] - narrow.ci[0]);
    expect(wide.pValue).toBe(narrow.pValue);
  });

  it('divides relative lift by |control mean| so the sign follows the difference', () => {
    // Control units -1, -2, -3, -4 (mean -2.5), treatment mean -1.5: lift = 1 / 2.5.
    const control = { n: 4, sum: -10, sumSquares: 30 };
    const treatment = { n: 4, sum: -6, sumSquares: 14 };
    const r = compareArms('mean', control, treatment).relative;
    expect(r.ok).toBe(true);
    expectClose(r.lift, 0.4);
  });

  it('refuses proportions with p = 0 in both arms (zero variance)', () => {
    const zero = { n: 100, sum: 0, sumSquares: 0 };
    const c = compareArms('proportion', zero, zero);
    for (const r of [c.absolute, c.relative]) {
      expect(r.ok).toBe(false);
      expect(r.message).toMatch(/zero variance/);
      expect(r).toMatchObject({ lift: 0, se: 0, ci: [0, 0], pValue: 1 });
    }
  });

  it('refuses when one arm has fewer than 2 units', () => {
    const c = compareArms('mean', ARM, { n: 1, sum: 3, sumSquares: 9 });
    expect(c.absolute.ok).toBe(false);
    expect(c.absolute.message).toMatch(/treatment/);
    expect(c.relative.ok).toBe(false);
  });

  it('refuses only the relative lift when the control mean is 0', () => {
    // Control units -1, 1, -1, 1: mean 0, variance 4/3.
    const c = compareArms('mean', { n: 4, sum: 0, sumSquares: 4 }, ARM);
    expect(c.absolute.ok).toBe(true);
    expect(c.relative.ok).toBe(false);
    expect(c.relative.message).toMatch(/control mean is 0/i);
    expect(c.relative.pValue).toBe(1);
  });

  it('returns the arm moments and alpha used', () => {
    const c = compareArms('proportion', { n: 28, sum: 14, sumSquares: 14 }, { n: 30, sum: 16, sumSquares: 16 });
    expect(c.alpha).toBe(0.05);
    expect(c.control).toEqual({ n: 28, mean: 0.5, variance: 0.25 });
    expectClose(c.treatment.mean, 16 / 30);
  });

  it('rejects alpha outside (0, 1)', () => {
    expect(() => compareArms('mean', ARM, ARM, 0)).toThrow(RangeError);
    expect(() => compareArms('mean', ARM, ARM, 1)).toThrow(RangeError);
  });
});
