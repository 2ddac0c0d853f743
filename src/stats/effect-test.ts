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
}

/** Inputs of one frequentist test on a lift: point estimate, its variance, dof and total units. */
export interface EffectInput {
  lift: number;
  variance: number;
  dof: number;
  /** Units in both arms together (the sequential bound's sample size). */
  totalUnits: number;
}

export function testEffect(_input: EffectInput, _options?: TestOptions): EffectEstimate {
  throw new Error('not implemented');
}

export function notEstimableEffect(message: string, dof = 0): EffectEstimate {
  return { ok: false, message, lift: 0, se: 0, ci: [0, 0], pValue: 1, dof };
}
