import { standardNormalQuantile } from './distributions.js';
import type { ArmSufficientStats } from './sufficient-stats.js';

/** Confidence of the order-statistic interval a quantile row carries (its lower and upper values). */
export const QUANTILE_ORDER_CI = 0.95;

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
 * quantile estimate and variance / n = se^2, where se = (upper - lower) / (2 z_0.975) is the standard
 * error implied by the order-statistic interval (as GrowthBook's quantile metrics do). The lifts,
 * their delta-method variance and the tests then follow the mean-metric formulas unchanged.
 */
export function quantileArmStats(arm: QuantileArm): ArmSufficientStats {
  const { n, estimate, lower, upper } = arm;
  if (!(lower <= estimate && estimate <= upper)) throw new RangeError(`a quantile needs lower <= estimate <= upper, got ${lower}, ${estimate}, ${upper}`);
  const se = (upper - lower) / (2 * standardNormalQuantile(1 - (1 - QUANTILE_ORDER_CI) / 2));
  const unitVariance = n * se * se;
  return { kind: 'mean', n, y: { sum: n * estimate, sumSquares: n * estimate * estimate + (n - 1) * unitVariance } };
}
