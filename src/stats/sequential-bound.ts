/** gbstats' default tuning parameter (expected sample size at which the bound is tightest). */
export const DEFAULT_SEQUENTIAL_TUNING = 5000;

/** Half-width of the always-valid interval (Waudby-Smith et al., arXiv 2103.06476, eq. 161 as in gbstats). */
export function sequentialHalfWidth(_variance: number, _totalUnits: number, _alpha: number, _tuning?: number): number {
  throw new Error('not implemented');
}

/** Always-valid p-value min(1, 1 / e-value). */
export function sequentialPValue(_lift: number, _variance: number, _totalUnits: number, _alpha: number, _tuning?: number): number {
  throw new Error('not implemented');
}
