/** 'count' metrics are compared as means; callers map them before calling. */
export type MetricKind = 'proportion' | 'mean';

/** Per-arm sufficient statistics as returned by the warehouse. */
export interface ArmSums {
  n: number;
  sum: number;
  sumSquares: number;
}

export interface ArmMoments {
  n: number;
  mean: number;
  variance: number;
}

/**
 * Mean and per-unit variance of one arm, following gbstats:
 * binomial p(1 - p) for proportions (no n - 1 correction), the n - 1 sample
 * variance for means. The variance is returned as computed, so inconsistent
 * sums show up as a negative variance that compareArms refuses to test.
 */
export function armMoments(kind: MetricKind, arm: ArmSums): ArmMoments {
  assertSums(arm);
  const { n, sum, sumSquares } = arm;
  const mean = n === 0 ? 0 : sum / n;
  if (kind === 'proportion') {
    return { n, mean, variance: n === 0 ? 0 : mean * (1 - mean) };
  }
  const variance = n <= 1 ? 0 : (sumSquares - (sum * sum) / n) / (n - 1);
  return { n, mean, variance };
}

// Garbage sums are a caller bug, not a statistical outcome, so they throw
// instead of producing a quiet ok=false.
function assertSums(arm: ArmSums): void {
  const { n, sum, sumSquares } = arm;
  if (!Number.isFinite(n) || n < 0) {
    throw new RangeError(`arm n must be a finite number >= 0, got ${n}`);
  }
  if (!Number.isFinite(sum) || !Number.isFinite(sumSquares)) {
    throw new RangeError(`arm sum and sumSquares must be finite, got ${sum} and ${sumSquares}`);
  }
}
