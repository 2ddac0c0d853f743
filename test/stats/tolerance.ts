import { expect } from 'vitest';

/** The conventions' tolerance: 1e-6 relative to the expected value. */
export const REL_TOL = 1e-6;

// Relative tolerance is meaningless at 0, so an expected 0 needs a tiny absolute bound instead.
export function expectClose(actual: number, expected: number, rel = REL_TOL, absAtZero = 1e-12): void {
  const bound = expected === 0 ? absAtZero : rel * Math.abs(expected);
  const diff = Math.abs(actual - expected);
  expect(diff <= bound, `expected ${actual} to be within ${bound} of ${expected} (diff ${diff})`).toBe(true);
}

export function expectPairClose(actual: [number, number], expected: [number, number], rel = REL_TOL): void {
  expectClose(actual[0], expected[0], rel);
  expectClose(actual[1], expected[1], rel);
}

/** For reference values published rounded to `decimals` places (gbstats' tests round to 5). */
export function expectRounded(actual: number | null, expected: number | null, decimals = 5): void {
  if (expected === null) {
    expect(actual).toBeNull();
    return;
  }
  expect(actual).not.toBeNull();
  const bound = 0.5 * 10 ** -decimals + 1e-12;
  const diff = Math.abs((actual as number) - expected);
  expect(diff <= bound, `expected ${actual} to round to ${expected} at ${decimals} decimals (diff ${diff})`).toBe(true);
}
