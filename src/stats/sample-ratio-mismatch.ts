import { chiSquareUpperTail } from './distributions.js';

export interface SrmResult {
  observed: number[];
  expected: number[];
  chiSquare: number;
  dof: number;
  pValue: number;
}

/**
 * Pearson chi-square of observed units per arm against the planned weights
 * (normalised to sum to 1), dof = arms - 1, p = upper tail.
 */
export function sampleRatioMismatch(observed: number[], weights: number[]): SrmResult {
  if (observed.length !== weights.length) {
    throw new RangeError(`got ${observed.length} observed counts but ${weights.length} weights`);
  }
  if (observed.some((o) => !Number.isFinite(o) || o < 0)) {
    throw new RangeError('observed counts must be finite numbers >= 0');
  }
  if (weights.some((w) => !Number.isFinite(w) || w < 0)) {
    throw new RangeError('weights must be finite numbers >= 0');
  }
  const weightTotal = weights.reduce((s, w) => s + w, 0);
  if (!(weightTotal > 0)) throw new RangeError('weights must not all be 0');

  const total = observed.reduce((s, o) => s + o, 0);
  const expected = weights.map((w) => (total * w) / weightTotal);
  const dof = Math.max(0, observed.length - 1);
  // Nothing observed means nothing to check, not an alert.
  if (total === 0) {
    return { observed: [...observed], expected, chiSquare: 0, dof, pValue: 1 };
  }

  let chiSquare = 0;
  observed.forEach((o, i) => {
    const e = expected[i];
    // Units in an arm planned to get none is as strong a mismatch as there is.
    if (e === 0) chiSquare += o === 0 ? 0 : Infinity;
    else chiSquare += ((o - e) * (o - e)) / e;
  });
  const pValue = dof === 0 ? 1 : chiSquareUpperTail(chiSquare, dof);
  return { observed: [...observed], expected, chiSquare, dof, pValue };
}
