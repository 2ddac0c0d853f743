import { describe, expect, it } from 'vitest';
import { adjustPValues, benjaminiHochberg, correctFamily, holmBonferroni, standardNormalQuantile, type EffectEstimate } from '../../src/stats/index.js';
import { expectClose } from './tolerance.js';

// Benjamini & Hochberg (1995), section 4.1: 15 p-values from a study of myocardial infarction.
// At q = 0.05 their procedure rejects the 4 smallest; the Bonferroni-type (Holm) procedure rejects 3.
const BH95 = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528, 0.759, 1.0];

describe('Benjamini-Hochberg', () => {
  it('rejects 4 of the textbook example at 0.05', () => {
    expect(benjaminiHochberg(BH95).filter((p) => p <= 0.05)).toHaveLength(4);
  });

  it('gives the step-up adjusted values worked by hand: min over j >= i of m p(j) / j', () => {
    const adj = benjaminiHochberg(BH95);
    expectClose(adj[0], 0.0015);
    expectClose(adj[3], (15 * 0.0095) / 4);
    // ranks 5 and 6 take the smaller value of rank 7: 15 * 0.0298 / 7
    expectClose(adj[4], (15 * 0.0201) / 5);
    expectClose(adj[5], (15 * 0.0298) / 7);
    expect(adj[14]).toBe(1);
  });

  it('keeps the input order', () => {
    const shuffled = [0.5, 0.01, 0.04];
    expect(benjaminiHochberg(shuffled)).toEqual([0.5, 0.03, 0.06]);
  });
});

describe('Holm-Bonferroni', () => {
  it('rejects 3 of the textbook example at 0.05', () => {
    expect(holmBonferroni(BH95).filter((p) => p <= 0.05)).toHaveLength(3);
  });

  it('multiplies the i-th smallest by m - i + 1, keeps them monotone, clips to 1', () => {
    expect(holmBonferroni([0.01, 0.04, 0.03])).toEqual([0.03, 0.06, 0.06]);
    expect(holmBonferroni([0.6, 0.5])).toEqual([1, 1]);
  });

  it("'none' returns the p-values unchanged", () => {
    expect(adjustPValues([0.2, 0.01], 'none')).toEqual([0.2, 0.01]);
  });

  it('rejects p-values outside [0, 1]', () => {
    expect(() => holmBonferroni([0.1, 1.2])).toThrow(RangeError);
  });
});

describe('adjusted intervals (GrowthBook getAdjustedCI)', () => {
  const z = standardNormalQuantile(0.975);
  const est = (lift: number, se: number, p: number): EffectEstimate => ({ ok: true, lift, se, ci: [lift - z * se, lift + z * se], pValue: p, dof: 1e9 });

  it('puts the bound on 0 exactly when the adjusted p-value equals alpha', () => {
    // Holm with two equal p-values of 0.025 adjusts both to 0.05.
    const [a] = correctFamily([est(1, 1 / standardNormalQuantile(1 - 0.0125), 0.025), est(1, 1 / standardNormalQuantile(1 - 0.0125), 0.025)], 'holm');
    expectClose(a.pValueAdjusted, 0.05);
    expectClose(a.ciAdjusted[0]!, 0, 1e-6, 1e-12);
    expectClose(a.ciAdjusted[1]!, 2);
  });

  it('is unbounded when the adjusted p-value is 1 and never narrower than the raw interval', () => {
    const r = correctFamily([est(0.1, 1, 0.9), est(0.2, 1, 0.8), est(3, 1, 0.001)], 'holm');
    // Holm: 0.8 * 2 clips to 1, and 0.9 keeps the running maximum 1.
    expect(r[0].ciAdjusted).toEqual([null, null]);
    expect(r[1].ciAdjusted).toEqual([null, null]);
    expect(r[2].ciAdjusted[0]!).toBeLessThan(3 - z);
    expect(r[2].ciAdjusted[1]!).toBeGreaterThan(3 + z);
  });
});
