// The five vectors of /work/shared/reference/stats-conventions.md (from gbstats' own tests).
import { describe, expect, it } from 'vitest';
import { compareArms, sampleRatioMismatch, type ArmSums } from '../../src/stats/index.js';
import { expectClose, expectPairClose } from './tolerance.js';

const A: ArmSums = { n: 3407, sum: 1396.87, sumSquares: 52377.9767 };
const B: ArmSums = { n: 3461, sum: 2422.7, sumSquares: 134698.29 };

describe('conventions vectors', () => {
  it('1. Welch relative lift, alpha 0.05', () => {
    const r = compareArms('mean', A, B, 0.05).relative;
    expect(r.ok).toBe(true);
    expectClose(r.lift, 0.7073170731707317);
    expectPairClose(r.ci, [-0.03526008906611777, 1.449894235407581]);
    expectClose(r.se, 0.3787943616681428);
    expectClose(r.pValue, 0.06191182745618362);
  });

  it('2. Welch absolute lift', () => {
    const r = compareArms('mean', A, B).absolute;
    expect(r.ok).toBe(true);
    expectClose(r.lift, 0.29);
    expectPairClose(r.ci, [0.04537789255929012, 0.5346221074407098]);
    expectClose(r.se, 0.12478363158758794);
    expectClose(r.pValue, 0.020158402643587037);
  });

  it('3. proportions 14/28 vs 16/30, relative lift', () => {
    const control = { n: 28, sum: 14, sumSquares: 14 };
    const treatment = { n: 30, sum: 16, sumSquares: 16 };
    const r = compareArms('proportion', control, treatment).relative;
    expect(r.ok).toBe(true);
    expectClose(r.lift, 0.06666666666666665);
    expectPairClose(r.ci, [-0.4776740282706786, 0.6110073616040119]);
    expectClose(r.se, 0.27169855689735606);
    expectClose(r.pValue, 0.8070716832021887);
  });

  it('4. control n = 2 with the sums of A: variance cannot be estimated', () => {
    const c = compareArms('mean', { ...A, n: 2 }, B);
    for (const r of [c.absolute, c.relative]) {
      expect(r.ok).toBe(false);
      expect(r.message).toMatch(/control/i);
      expect(r.lift).toBe(0);
      expect(r.ci).toEqual([0, 0]);
      expect(r.pValue).toBe(1);
      expect(r.se).toBe(0);
      expect(r.dof).toBe(0);
    }
  });

  it('5. SRM, units [1000, 1200], weights [0.5, 0.5]', () => {
    const s = sampleRatioMismatch([1000, 1200], [0.5, 0.5]);
    expectClose(s.pValue, 2.007865612426481e-5);
    expect(s.pValue).toBeLessThan(0.001);
    expect(s.dof).toBe(1);
  });
});
