/** Sum and sum of squares of one per-unit quantity over an arm's units. */
export interface Moments {
  sum: number;
  sumSquares: number;
}

/**
 * Names of the per-unit quantities whose products the warehouse sums:
 * y post value (ratio numerator), d post denominator, x pre value (ratio pre numerator),
 * e pre denominator. 'yx' is sum over units of y * x, and so on.
 */
export type CrossKey = 'yd' | 'yx' | 'ye' | 'dx' | 'de' | 'xe';

/** Per-arm sufficient statistics, as the warehouse SQL returns them. */
export interface ArmSufficientStats {
  /** count metrics are 'mean'. */
  kind: 'mean' | 'proportion' | 'ratio';
  /** units */
  n: number;
  /** post-exposure value, or ratio numerator */
  y: Moments;
  /** ratio denominator (post) */
  d?: Moments;
  /** CUPED covariate: pre-exposure value (ratio: pre numerator) */
  x?: Moments;
  /** ratio CUPED: pre-exposure denominator */
  e?: Moments;
  /** sums of per-unit products */
  cross?: Partial<Record<CrossKey, number>>;
}

/** An arm's metric estimate: mean and per-unit variance (variance / n is the variance of the mean). */
export interface ArmSummary {
  n: number;
  mean: number;
  variance: number;
}

/** Mean of one per-unit quantity (0 when n = 0). */
export function momentMean(n: number, m: Moments): number {
  return n === 0 ? 0 : m.sum / n;
}

/**
 * Per-unit variance following gbstats: binomial p (1 - p) for proportions,
 * the n - 1 sample variance otherwise (0 when n <= 1).
 */
export function momentVariance(n: number, m: Moments, proportion: boolean): number {
  if (proportion) {
    const p = momentMean(n, m);
    return n === 0 ? 0 : p * (1 - p);
  }
  return n <= 1 ? 0 : (m.sumSquares - (m.sum * m.sum) / n) / (n - 1);
}

/** Covariance of two per-unit quantities from their sums and the sum of their products. */
export function momentCovariance(n: number, a: Moments, b: Moments, sumProducts: number, bothProportions: boolean): number {
  if (n <= 1) return 0;
  if (bothProportions) return sumProducts / n - (a.sum * b.sum) / (n * n);
  return (sumProducts - (a.sum * b.sum) / n) / (n - 1);
}

/** Delta-method variance of m / d from the variances and covariance of m and d. */
export function varianceOfRatio(meanM: number, varM: number, meanD: number, varD: number, covMD: number): number {
  return varM / meanD ** 2 + (varD * meanM ** 2) / meanD ** 4 - (2 * covMD * meanM) / meanD ** 3;
}

/**
 * The arm's unadjusted metric: mean / proportion as sum / n; ratio as sum_y / sum_d
 * with the delta-method per-unit variance (0 when the denominator mean is 0 or n <= 1).
 */
export function summarizeArm(arm: ArmSufficientStats): ArmSummary {
  assertArm(arm);
  const { n, y } = arm;
  if (arm.kind !== 'ratio') {
    return { n, mean: momentMean(n, y), variance: momentVariance(n, y, arm.kind === 'proportion') };
  }
  const d = arm.d!;
  const mean = d.sum === 0 ? 0 : y.sum / d.sum;
  const meanD = momentMean(n, d);
  if (meanD === 0 || n <= 1) return { n, mean, variance: 0 };
  const cov = momentCovariance(n, y, d, arm.cross!.yd!, false);
  const variance = varianceOfRatio(momentMean(n, y), momentVariance(n, y, false), meanD, momentVariance(n, d, false), cov);
  return { n, mean, variance };
}

// Garbage sums are a caller bug, not a statistical outcome, so they throw.
export function assertArm(arm: ArmSufficientStats): void {
  const { n } = arm;
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`arm n must be a finite number >= 0, got ${n}`);
  const finite = (label: string, m: Moments | undefined) => {
    if (m && (!Number.isFinite(m.sum) || !Number.isFinite(m.sumSquares))) {
      throw new RangeError(`arm ${label} sums must be finite, got ${m.sum} and ${m.sumSquares}`);
    }
  };
  finite('y', arm.y);
  finite('d', arm.d);
  finite('x', arm.x);
  finite('e', arm.e);
  for (const [k, v] of Object.entries(arm.cross ?? {})) {
    if (v !== undefined && !Number.isFinite(v)) throw new RangeError(`arm cross product ${k} must be finite, got ${v}`);
  }
  if (arm.kind === 'ratio' && (!arm.d || arm.cross?.yd === undefined)) {
    throw new RangeError('a ratio arm needs the denominator sums d and the cross product yd');
  }
}
