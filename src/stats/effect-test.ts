import { studentTCdf, studentTQuantile, studentTTwoSidedP } from './distributions.js';
import {
  DEFAULT_SEQUENTIAL_TUNING,
  sequentialHalfWidth,
  sequentialOneSidedHalfWidth,
  sequentialOneSidedPValue,
  sequentialOneSidedPValueExact,
  sequentialPValue,
} from './sequential-bound.js';

/** Direction of the alternative hypothesis: 'greater' means treatment > control. */
export type Sides = 'two-sided' | 'greater' | 'less';

/** [lower, upper]; null stands for -infinity / +infinity (one-sided intervals), so JSON keeps it. */
export type Interval = [number | null, number | null];

export interface SequentialOptions {
  /** Waudby-Smith tuning parameter (gbstats' sequentialTuningParameter), default 5000. */
  tuning?: number;
}

export interface TestOptions {
  alpha?: number;
  sides?: Sides;
  /** Always-valid interval and p-value; omitted or false = fixed horizon. */
  sequential?: SequentialOptions | boolean;
}

/** One lift (absolute or relative) with its frequentist test. */
export interface EffectEstimate {
  ok: boolean;
  message?: string;
  lift: number;
  se: number;
  ci: Interval;
  pValue: number;
  /** Welch-Satterthwaite dof (0 when not estimable). */
  dof: number;
  /**
   * One-sided sequential tests only, when the reference engine's p-value sits at its 0.4999 cap: the
   * exact p-value (up to 1), which multiple-testing corrections use instead.
   */
  pValueExact?: number;
  /**
   * Set with pValueExact when the estimate lies on the side the one-sided alternative excludes: the
   * p-value is then at least 0.5 by construction, and the report says why rather than printing 0.500.
   */
  wrongDirection?: true;
}

/** Inputs of one frequentist test on a lift: point estimate, its variance, dof and total units. */
export interface EffectInput {
  lift: number;
  variance: number;
  dof: number;
  /** Units in both arms together (the sequential bound's sample size). */
  totalUnits: number;
}

/** gbstats' one-sided sequential p-value bisection stops at this value. */
const SEQUENTIAL_ONE_SIDED_P_CAP = 0.4999;

/** Resolved options with defaults; throws on values no test can use. */
export function resolveTestOptions(options: TestOptions = {}): { alpha: number; sides: Sides; tuning: number | null } {
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be strictly between 0 and 1, got ${alpha}`);
  const sides = options.sides ?? 'two-sided';
  if (!['two-sided', 'greater', 'less'].includes(sides)) throw new RangeError(`sides must be two-sided, greater or less, got ${sides}`);
  const seq = options.sequential;
  const tuning = seq === undefined || seq === false ? null : seq === true ? DEFAULT_SEQUENTIAL_TUNING : (seq.tuning ?? DEFAULT_SEQUENTIAL_TUNING);
  if (tuning !== null && !(tuning > 0 && Number.isFinite(tuning))) throw new RangeError(`sequential tuning parameter must be a number > 0, got ${tuning}`);
  if (tuning !== null && sides !== 'two-sided' && alpha >= 0.5) throw new RangeError('a one-sided sequential test needs alpha < 0.5');
  return { alpha, sides, tuning };
}

/**
 * Frequentist test of one lift, following gbstats: Welch t for fixed horizon (two-sided or one-sided
 * with a half-infinite interval), or the always-valid interval and p-value when sequential.
 */
export function testEffect(input: EffectInput, options: TestOptions = {}): EffectEstimate {
  const { alpha, sides, tuning } = resolveTestOptions(options);
  const { lift, variance, dof, totalUnits } = input;
  const se = Math.sqrt(variance);
  if (!(se > 0) || !Number.isFinite(se)) return notEstimableEffect('The standard error is zero or not finite.');
  if (!(dof > 0)) return notEstimableEffect('Welch degrees of freedom are not positive.');
  const base = { ok: true, lift, se, dof };
  if (tuning === null) {
    const t = lift / se;
    if (sides === 'two-sided') {
      const half = studentTQuantile(1 - alpha / 2, dof) * se;
      return { ...base, ci: [lift - half, lift + half], pValue: studentTTwoSidedP(t, dof) };
    }
    const half = studentTQuantile(1 - alpha, dof) * se;
    // Tails evaluated on the side that keeps precision for tiny p-values.
    if (sides === 'greater') return { ...base, ci: [lift - half, null], pValue: studentTCdf(-t, dof) };
    return { ...base, ci: [null, lift + half], pValue: studentTCdf(t, dof) };
  }
  if (sides === 'two-sided') {
    const half = sequentialHalfWidth(variance, totalUnits, alpha, tuning);
    return { ...base, ci: [lift - half, lift + half], pValue: sequentialPValue(lift, variance, totalUnits, alpha, tuning) };
  }
  const half = sequentialOneSidedHalfWidth(variance, totalUnits, alpha, tuning);
  const pValue = sequentialOneSidedPValue(lift, variance, totalUnits, alpha, sides, tuning);
  const ci: Interval = sides === 'greater' ? [lift - half, null] : [null, lift + half];
  if (pValue < SEQUENTIAL_ONE_SIDED_P_CAP) return { ...base, ci, pValue };
  const exact = Math.max(pValue, sequentialOneSidedPValueExact(lift, variance, totalUnits, alpha, sides, tuning));
  const wrong = (sides === 'greater' ? lift : -lift) <= 0;
  return { ...base, ci, pValue, pValueExact: exact, ...(wrong ? { wrongDirection: true as const } : {}) };
}

/** The same test's interval for an estimate at another level (used for multiple-testing adjusted intervals). */
export function intervalAtLevel(e: EffectEstimate, totalUnits: number, alpha: number, options: Omit<TestOptions, 'alpha'>): Interval {
  return testEffect({ lift: e.lift, variance: e.se * e.se, dof: e.dof, totalUnits }, { ...options, alpha }).ci;
}

// gbstats' default output: placeholders that cannot be mistaken for a finding.
export function notEstimableEffect(message: string, dof = 0): EffectEstimate {
  return { ok: false, message, lift: 0, se: 0, ci: [0, 0], pValue: 1, dof };
}
