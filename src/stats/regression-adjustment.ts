import type { ArmSufficientStats, ArmSummary } from './sufficient-stats.js';

/** One arm after regression adjustment (CUPED). */
export interface AdjustedArm extends ArmSummary {
  /** Mean and per-unit variance before adjustment. */
  unadjustedMean: number;
  unadjustedVariance: number;
}

export interface RegressionAdjustment {
  /** Pooled over the two compared arms; 0 when a pooled variance is 0. */
  theta: number;
  control: AdjustedArm;
  treatment: AdjustedArm;
  /** 1 - var(adjusted absolute lift) / var(unadjusted absolute lift). */
  varianceReduction: number;
}

/** True when both arms carry the covariate sums CUPED needs. */
export function hasCovariate(_control: ArmSufficientStats, _treatment: ArmSufficientStats): boolean {
  throw new Error('not implemented');
}

export function regressionAdjust(_control: ArmSufficientStats, _treatment: ArmSufficientStats): RegressionAdjustment {
  throw new Error('not implemented');
}
