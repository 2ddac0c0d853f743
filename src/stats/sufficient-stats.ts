/** Sum and sum of squares of one per-unit quantity over an arm's units. */
export interface Moments {
  sum: number;
  sumSquares: number;
}

/** Names of the per-unit quantities whose products the warehouse sums. */
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

export function summarizeArm(_arm: ArmSufficientStats): ArmSummary {
  throw new Error('not implemented');
}
