import { describe, expect, it } from 'vitest';
import {
  correctFamily,
  intervalAtLevel,
  sequentialOneSidedHalfWidth,
  sequentialOneSidedPValue,
  sequentialOneSidedPValueExact,
  sequentialRho,
  testEffect,
} from '../../src/stats/index.js';
import { pvalOf } from '../../src/util/format.js';

const seq = { sides: 'greater' as const, sequential: { tuning: 5000 } };

describe('exact one-sided sequential p-value', () => {
  it('is the alpha at which the one-sided bound touches 0, also above 0.4999', () => {
    for (const lift of [0.001, 0.01, 0.03, 0.08]) {
      const p = sequentialOneSidedPValueExact(lift, 0.0004, 10_000, 0.05, 'greater');
      const rho = sequentialRho(0.05, 5000, false);
      if (p < 1) expect(sequentialOneSidedHalfWidth(0.0004, 10_000, p, 5000, rho)).toBeCloseTo(lift, 9);
      const capped = sequentialOneSidedPValue(lift, 0.0004, 10_000, 0.05, 'greater');
      if (capped < 0.4999) expect(Math.abs(p - capped)).toBeLessThan(1e-3);
      else expect(p).toBeGreaterThanOrEqual(0.4999);
    }
  });

  it('is 1 on the wrong side of 0', () => {
    expect(sequentialOneSidedPValueExact(-0.01, 0.0004, 10_000, 0.05, 'greater')).toBe(1);
    expect(sequentialOneSidedPValueExact(0.01, 0.0004, 10_000, 0.05, 'less')).toBe(1);
  });

  it('is carried as pValueExact only when the reference p-value sits at its cap', () => {
    const weak = testEffect({ lift: 0.001, variance: 0.0004, dof: 9998, totalUnits: 10_000 }, seq);
    expect(weak.pValue).toBe(0.4999);
    expect(weak.pValueExact).toBeGreaterThan(0.5);
    const strong = testEffect({ lift: 0.08, variance: 0.0004, dof: 9998, totalUnits: 10_000 }, seq);
    expect(strong.pValueExact).toBeUndefined();
  });

  it('marks a capped estimate on the excluded side, and the report format says so instead of p = 0.500', () => {
    const weak = testEffect({ lift: 0.001, variance: 0.0004, dof: 9998, totalUnits: 10_000 }, seq);
    expect(weak.wrongDirection).toBeUndefined();
    expect(pvalOf(weak)).toBe('p ≥ 0.5');
    const wrong = testEffect({ lift: -0.001, variance: 0.0004, dof: 9998, totalUnits: 10_000 }, seq);
    expect(wrong.wrongDirection).toBe(true);
    expect(pvalOf(wrong)).toBe('p ≥ 0.5 (effect in the wrong direction)');
    const less = testEffect({ lift: 0.001, variance: 0.0004, dof: 9998, totalUnits: 10_000 }, { ...seq, sides: 'less' });
    expect(less.wrongDirection).toBe(true);
    expect(pvalOf({ pValue: 0.0123 })).toBe('p = 0.012');
  });
});

describe('adjusted intervals of sequential tests', () => {
  const lifts = [0.002, 0.05, 0.06, 0.09];
  const family = lifts.map((lift) => testEffect({ lift, variance: 0.0004, dof: 9998, totalUnits: 10_000 }, seq));
  const at = (i: number, level: number) => intervalAtLevel(family[i], 10_000, level, seq);

  for (const method of ['holm', 'bh'] as const) {
    it(`${method}: excludes 0 exactly when the adjusted p-value is below alpha, and is never narrower`, () => {
      const adjusted = correctFamily(family, method, 0.05, 'greater', at);
      adjusted.forEach((a, i) => {
        const lower = a.ciAdjusted[0]!;
        expect(Number.isFinite(lower)).toBe(true);
        expect(lower).toBeLessThanOrEqual(family[i].ci[0]! + 1e-12);
        // Never wider than Bonferroni at alpha / m.
        expect(lower).toBeGreaterThanOrEqual(at(i, 0.05 / family.length)[0]! - 1e-12);
        expect(lower > 0, `estimate ${i}`).toBe(a.pValueAdjusted < 0.05);
      });
    });
  }
});
