import type { EffectEstimate, TestOptions } from './effect-test.js';

/** Per-unit differences (variant outcome - control outcome) summed over units. */
export interface PairedSums {
  n: number;
  sumDiff: number;
  sumDiffSquares: number;
}

/** Paired t-test: mean difference, se = sd / sqrt(n), dof n - 1. */
export function pairedTTest(_sums: PairedSums, _options?: Pick<TestOptions, 'alpha' | 'sides'>): EffectEstimate {
  throw new Error('not implemented');
}
