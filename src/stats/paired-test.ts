import { notEstimableEffect, testEffect, type EffectEstimate, type TestOptions } from './effect-test.js';

/** Per-unit differences (variant outcome - control outcome) summed over units. */
export interface PairedSums {
  n: number;
  sumDiff: number;
  sumDiffSquares: number;
}

/** Paired t-test: mean difference, se = sd / sqrt(n), dof n - 1; always valid over n pairs when sequential. */
export function pairedTTest(sums: PairedSums, options: Pick<TestOptions, 'alpha' | 'sides' | 'sequential'> = {}): EffectEstimate {
  const { n, sumDiff, sumDiffSquares } = sums;
  if (!Number.isFinite(n) || n < 0 || !Number.isFinite(sumDiff) || !Number.isFinite(sumDiffSquares)) {
    throw new RangeError(`paired sums must be finite with n >= 0, got n ${n}, sum ${sumDiff}, sum of squares ${sumDiffSquares}`);
  }
  if (n < 2) return notEstimableEffect(`The paired sample has ${n} unit(s); at least 2 are needed to estimate a variance.`);
  const variance = (sumDiffSquares - (sumDiff * sumDiff) / n) / (n - 1);
  if (!(variance > 0)) {
    return notEstimableEffect(variance < 0 ? 'The paired sums are inconsistent (negative variance).' : 'The differences have zero variance; the test is undefined.');
  }
  return testEffect({ lift: sumDiff / n, variance: variance / n, dof: n - 1, totalUnits: n }, { alpha: options.alpha, sides: options.sides, sequential: options.sequential });
}
