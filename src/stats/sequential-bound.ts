/** gbstats' default tuning parameter (the sample size at which the bound is tightest). */
export const DEFAULT_SEQUENTIAL_TUNING = 5000;

/**
 * rho of the Gaussian-mixture confidence sequence (Waudby-Smith et al., arXiv 2103.06476v7, eq. 161),
 * chosen so the bound is tightest near `tuning` units. One-sided bounds use 2 alpha, as gbstats does.
 */
export function sequentialRho(alpha: number, tuning = DEFAULT_SEQUENTIAL_TUNING, twoSided = true): number {
  if (!(tuning > 0)) throw new RangeError(`sequential tuning parameter must be > 0, got ${tuning}`);
  const a = twoSided ? alpha : 2 * alpha;
  return Math.sqrt((-2 * Math.log(a) + Math.log(-2 * Math.log(a) + 1)) / tuning);
}

/**
 * Half-width of the two-sided always-valid interval for a lift whose estimate has
 * variance `variance` after `totalUnits` units in the two compared arms.
 */
export function sequentialHalfWidth(variance: number, totalUnits: number, alpha: number, tuning = DEFAULT_SEQUENTIAL_TUNING): number {
  const rho = sequentialRho(alpha, tuning, true);
  const n = totalUnits;
  const s2 = variance * n;
  const nr2p1 = n * rho * rho + 1;
  return Math.sqrt(s2) * Math.sqrt((2 * nr2p1 * Math.log(Math.sqrt(nr2p1) / alpha)) / (n * rho) ** 2);
}

/** Half-width of the one-sided always-valid bound (rho from 2 alpha unless given). */
export function sequentialOneSidedHalfWidth(variance: number, totalUnits: number, alpha: number, tuning = DEFAULT_SEQUENTIAL_TUNING, rho = sequentialRho(alpha, tuning, false)): number {
  const n = totalUnits;
  const nr2p1 = n * rho * rho + 1;
  return Math.sqrt(variance * n * ((2 * nr2p1) / (n * rho) ** 2) * Math.log(1 + Math.sqrt(nr2p1) / (2 * alpha)));
}

/**
 * Always-valid two-sided p-value min(1, 1 / e-value), with the mixture e-value of eq. 155;
 * it equals alpha exactly where the interval's edge touches 0.
 */
export function sequentialPValue(lift: number, variance: number, totalUnits: number, alpha: number, tuning = DEFAULT_SEQUENTIAL_TUNING): number {
  const rho = sequentialRho(alpha, tuning, true);
  const n = totalUnits;
  const st2 = (lift * lift * n) / variance;
  const nr2p1 = n * rho * rho + 1;
  // log e-value, so huge statistics give p = 0 rather than 1 / Infinity = NaN trouble.
  const logE = (rho * rho * st2) / (2 * nr2p1) - 0.5 * Math.log(nr2p1);
  return Math.min(1, Math.exp(-logE));
}

/**
 * One-sided always-valid p-value: the alpha at which the one-sided bound touches 0, with rho held
 * at the test's alpha. gbstats finds it by bisection over [1e-5, 0.4999] and reports those ends when
 * the bound is outside; this solves the same equation in closed form and keeps the same ends.
 */
export function sequentialOneSidedPValue(lift: number, variance: number, totalUnits: number, alpha: number, direction: 'greater' | 'less', tuning = DEFAULT_SEQUENTIAL_TUNING): number {
  const MIN = 1e-5;
  const MAX = 0.4999;
  const signed = direction === 'greater' ? lift : -lift;
  if (signed <= 0) return MAX;
  const rho = sequentialRho(alpha, tuning, false);
  const n = totalUnits;
  const nr2p1 = n * rho * rho + 1;
  const c = (variance * n * 2 * nr2p1) / (n * rho) ** 2;
  // half-width(a) = signed  <=>  log(1 + sqrt(nr2p1) / (2 a)) = signed^2 / c
  const a = Math.sqrt(nr2p1) / (2 * Math.expm1((signed * signed) / c));
  return Math.min(MAX, Math.max(MIN, a));
}
