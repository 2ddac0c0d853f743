import { standardNormalCdf, standardNormalQuantile } from './distributions.js';
import type { Sides } from './effect-test.js';
import { DEFAULT_SEQUENTIAL_TUNING, sequentialHalfWidth, sequentialOneSidedHalfWidth } from './sequential-bound.js';

export interface InterimLook {
  /** Relative lift so far and its standard error. */
  lift: number;
  se: number;
  /** Share of the planned units seen so far, in (0, 1). */
  fraction: number;
  /** Planned units over both compared arms at the end (the sequential bound's sample size). */
  finalUnits: number;
  alpha?: number;
  sides?: Sides;
  /** Tuning parameter when the test is sequential. */
  sequentialTuning?: number | null;
}

/**
 * Conditional power (Lan and Wittes 1988, "the B-value"): the chance that the test at the planned
 * end rejects, given the estimate so far, if the true lift is `trueLift`. With information fraction t,
 * B(t) = Z_t sqrt(t) and B(1) - B(t) ~ N(theta (1 - t), 1 - t), theta = trueLift / se_final and
 * se_final = se_t sqrt(t) (variance falls as 1 / units). The test rejects when |Z_1| > c: c = z_{1-alpha/2}
 * (or z_{1-alpha} one-sided) at fixed horizon; for a sequential test c is the always-valid half-width at
 * the end in standard errors, so the figure is a lower bound (the bound could be crossed earlier).
 */
export function conditionalPower(look: InterimLook, trueLift: number): number {
  const { lift, se, fraction: t, finalUnits } = look;
  const alpha = look.alpha ?? 0.05;
  const sides = look.sides ?? 'two-sided';
  if (!(t > 0 && t < 1)) throw new RangeError(`the information fraction must be strictly between 0 and 1, got ${t}`);
  if (!(se > 0 && Number.isFinite(se))) throw new RangeError(`the standard error must be > 0, got ${se}`);
  const seFinal = se * Math.sqrt(t);
  const tuning = look.sequentialTuning === undefined || look.sequentialTuning === null ? null : look.sequentialTuning || DEFAULT_SEQUENTIAL_TUNING;
  const c =
    tuning === null
      ? standardNormalQuantile(1 - (sides === 'two-sided' ? alpha / 2 : alpha))
      : (sides === 'two-sided' ? sequentialHalfWidth(seFinal ** 2, finalUnits, alpha, tuning) : sequentialOneSidedHalfWidth(seFinal ** 2, finalUnits, alpha, tuning)) / seFinal;
  const b = (lift / se) * Math.sqrt(t);
  const drift = (trueLift / seFinal) * (1 - t);
  const sd = Math.sqrt(1 - t);
  const up = 1 - standardNormalCdf((c - b - drift) / sd);
  const down = standardNormalCdf((-c - b - drift) / sd);
  if (sides === 'greater') return up;
  if (sides === 'less') return down;
  return Math.min(1, up + down);
}
