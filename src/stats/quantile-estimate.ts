import { standardNormalQuantile } from './distributions.js';
import type { ArmSufficientStats } from './sufficient-stats.js';

/** Confidence of the order-statistic interval a quantile row carries (its lower and upper values). */
export const QUANTILE_ORDER_CI = 0.95;

/** z of the two-sided order-statistic interval (1.959963984540054 for 95%); the quantiles step uses the same number. */
export function quantileOrderZ(): number {
  return standardNormalQuantile(1 - (1 - QUANTILE_ORDER_CI) / 2);
}

/**
 * 1-based ranks of the order statistics that bound the q-th quantile of n values with 95% confidence
 * (distribution-free, normal approximation to the binomial count below the quantile):
 * floor(n q - z sqrt(n q (1 - q))) and ceil(n q + z sqrt(n q (1 - q))), clipped to [1, n].
 */
export function quantileOrderRanks(n: number, q: number): { estimate: number; lower: number; upper: number } {
  if (!(q > 0 && q < 1)) throw new RangeError(`quantile level must be strictly between 0 and 1, got ${q}`);
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`n must be a whole number >= 1, got ${n}`);
  const z = standardNormalQuantile(1 - (1 - QUANTILE_ORDER_CI) / 2);
  const half = z * Math.sqrt(n * q * (1 - q));
  const clip = (r: number) => Math.min(n, Math.max(1, r));
  return { estimate: clip(Math.ceil(n * q)), lower: clip(Math.floor(n * q - half)), upper: clip(Math.ceil(n * q + half)) };
}

export interface QuantileArm {
  n: number;
  /** The q-th sample quantile (order statistic at rank ceil(n q)). */
  estimate: number;
  /** Order statistics at the ranks of quantileOrderRanks. */
  lower: number;
  upper: number;
}

/**
 * A quantile arm as the mean-type sufficient statistics the comparison functions take: mean = the
 * quantile estimate and per-unit variance (n - 1) se^2, where se = (upper - lower) / (2 z_0.975) is the
 * standard error implied by the order-statistic interval. This is gbstats' QuantileStatistic for unit-level
 * quantiles (variance_init = (n* / n)(n - 1) se^2 with n* = n; docs.growthbook.io/statistics/quantile), so
 * the variance of the quantile is (n - 1) / n se^2. The lifts, their delta-method variance and the tests
 * then follow the mean-metric formulas unchanged. Unlike gbstats, no floor of 1e-5 is put under a zero
 * variance (an interval with no width, from ties): such a comparison is reported as not estimable.
 */
export function quantileArmStats(arm: QuantileArm): ArmSufficientStats {
  const { n, estimate, lower, upper } = arm;
  if (!(lower <= estimate && estimate <= upper)) throw new RangeError(`a quantile needs lower <= estimate <= upper, got ${lower}, ${estimate}, ${upper}`);
  const se = (upper - lower) / (2 * quantileOrderZ());
  const unitVariance = Math.max(0, n - 1) * se * se;
  return { kind: 'mean', n, y: { sum: n * estimate, sumSquares: n * estimate * estimate + (n - 1) * unitVariance } };
}

/**
 * The standard error of a sample quantile implied by its order-statistic interval, and the density at the
 * quantile that it estimates: asymptotically se = sqrt(q (1 - q) / n) / f(x_q), so
 * f = sqrt(q (1 - q) / n) / se (0 when the interval has no width, as when ties fill it).
 */
export function quantileStandardError(arm: QuantileArm, q: number): { se: number; density: number } {
  const se = (arm.upper - arm.lower) / (2 * quantileOrderZ());
  return { se, density: se > 0 && arm.n > 0 ? Math.sqrt((q * (1 - q)) / arm.n) / se : 0 };
}

/**
 * The fewest units for which the order-statistic interval of the q-th quantile lies inside the sample:
 * below it, n q - z sqrt(n q (1 - q)) < 1 or n q + z sqrt(...) > n, and the clipped ranks no longer give a
 * 95% interval. gbstats calls such a quantile undefined when n <= z^2 q / (1 - q) or n <= z^2 (1 - q) / q;
 * this is the smallest whole n above both (381 for p99, 35 for p90, 4 for p50).
 */
export function quantileMinimumUnits(q: number): number {
  const z2 = quantileOrderZ() ** 2;
  return Math.floor(Math.max((z2 * q) / (1 - q), (z2 * (1 - q)) / q)) + 1;
}
