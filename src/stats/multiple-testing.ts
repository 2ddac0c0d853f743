import type { EffectEstimate, Interval, Sides } from './effect-test.js';

export type Correction = 'holm' | 'bh' | 'none';

/** Holm-Bonferroni step-down adjusted p-values (family-wise error), clipped to 1, in input order. */
export function holmBonferroni(_pValues: number[]): number[] {
  throw new Error('not implemented');
}

/** Benjamini-Hochberg step-up adjusted p-values (false discovery rate), clipped to 1, in input order. */
export function benjaminiHochberg(_pValues: number[]): number[] {
  throw new Error('not implemented');
}

export function adjustPValues(_pValues: number[], _method: Correction): number[] {
  throw new Error('not implemented');
}

export interface CorrectedEffect {
  pValueAdjusted: number;
  ciAdjusted: Interval;
}

/** Adjusted p-values and intervals for a family of estimates (one per metric / dimension value / arm). */
export function correctFamily(_estimates: EffectEstimate[], _method: Correction, _alpha?: number, _sides?: Sides): CorrectedEffect[] {
  throw new Error('not implemented');
}
