// The five vectors of /work/shared/reference/stats-conventions.md (from gbstats' own tests).
import { describe, expect, it } from 'vitest';
import { compareArms, compareTreatment, sampleRatioMismatch, type ArmSufficientStats, type ArmSums } from '../../src/stats/index.js';
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

// The same vectors through the sufficient-statistics entry point the pipeline and `exptrack analyze` use.
describe('conventions vectors via compareTreatment', () => {
  const a: ArmSufficientStats = { kind: 'mean', n: A.n, y: { sum: A.sum, sumSquares: A.sumSquares } };
  const b: ArmSufficientStats = { kind: 'mean', n: B.n, y: { sum: B.sum, sumSquares: B.sumSquares } };

  it('1 and 2. Welch relative and absolute lift', () => {
    const c = compareTreatment(a, b, { alpha: 0.05 });
    expectClose(c.relative.lift, 0.7073170731707317);
    expectPairClose(c.relative.ci as [number, number], [-0.03526008906611777, 1.449894235407581]);
    expectClose(c.relative.se, 0.3787943616681428);
    expectClose(c.relative.pValue, 0.06191182745618362);
    expectClose(c.absolute.lift, 0.29);
    expectPairClose(c.absolute.ci as [number, number], [0.04537789255929012, 0.5346221074407098]);
    expectClose(c.absolute.se, 0.12478363158758794);
    expectClose(c.absolute.pValue, 0.020158402643587037);
  });

  it('3. proportions 14/28 vs 16/30, relative lift', () => {
    const p = (n: number, sum: number): ArmSufficientStats => ({ kind: 'proportion', n, y: { sum, sumSquares: sum } });
    const r = compareTreatment(p(28, 14), p(30, 16)).relative;
    expectClose(r.lift, 0.06666666666666665);
    expectPairClose(r.ci as [number, number], [-0.4776740282706786, 0.6110073616040119]);
    expectClose(r.se, 0.27169855689735606);
    expectClose(r.pValue, 0.8070716832021887);
  });

  it('4. control n = 2: not estimable, lift 0, CI (0, 0), p 1, with a message', () => {
    const c = compareTreatment({ ...a, n: 2 }, b);
    for (const r of [c.absolute, c.relative]) {
      expect(r).toMatchObject({ ok: false, lift: 0, ci: [0, 0], pValue: 1 });
      expect(r.message).toMatch(/control/i);
    }
    expect(c.bayesian.relative).toMatchObject({ ok: false, chanceToWin: 0.5 });
  });
});
