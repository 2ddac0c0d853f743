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
 * One-sided always-valid p-value: the alpha at which the one-sided bound touches 0, with rho held at
 * the test's alpha. This reproduces gbstats' bisection step for step (range [1e-5, 0.4999], stop when
 * the bound is within 1e-6 of 0, report the midpoint of the last bracket), so that the same sums give
 * the same p-value; the exact root can differ from it by about 1e-4.
 */
export function sequentialOneSidedPValue(lift: number, variance: number, totalUnits: number, alpha: number, direction: 'greater' | 'less', tuning = DEFAULT_SEQUENTIAL_TUNING): number {
  const rho = sequentialRho(alpha, tuning, false);
  const signed = direction === 'greater' ? lift : -lift;
  // distance of the bound from 0 on the side that matters: > 0 means the bound excludes 0
  const margin = (a: number) => signed - sequentialOneSidedHalfWidth(variance, totalUnits, a, tuning, rho);
  let lo = 1e-5;
  let hi = 0.4999;
  if (margin(lo) > 0) return lo;
  if (margin(hi) < 0) return hi;
  let a = 0.5 * (lo + hi);
  for (let i = 0; i < 100; i++) {
    const m = margin(a);
    if (m < 0) lo = a;
    else hi = a;
    a = 0.5 * (lo + hi);
    if (Math.abs(m) < 1e-6) break;
  }
  return a;
}

/**
 * The exact one-sided always-valid p-value over the whole of (0, 1]: the alpha at which the bound
 * touches 0 (rho held at the test's alpha), 1 when the estimate lies on the wrong side of 0. The
 * reference engine's bisection stops at 0.4999; multiple-testing corrections need the real value,
 * or every weak result in a family enters as 0.4999 and comes out adjusted to 0.4999.
 */
export function sequentialOneSidedPValueExact(lift: number, variance: number, totalUnits: number, alpha: number, direction: 'greater' | 'less', tuning = DEFAULT_SEQUENTIAL_TUNING): number {
  const rho = sequentialRho(alpha, tuning, false);
  const signed = direction === 'greater' ? lift : -lift;
  if (!(signed > 0)) return 1;
  const margin = (a: number) => signed - sequentialOneSidedHalfWidth(variance, totalUnits, a, tuning, rho);
  if (margin(1) <= 0) return 1;
  // The half-width falls as alpha grows, so the margin is increasing in alpha: plain bisection.
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 200 && hi - lo > 1e-12; i++) {
    const mid = 0.5 * (lo + hi);
    if (margin(mid) < 0) lo = mid;
    else hi = mid;
  }
  return hi;
}
