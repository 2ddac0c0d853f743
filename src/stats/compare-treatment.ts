import { bayesianEffect, FLAT_PRIOR, type BayesianEstimate, type GaussianPrior } from './bayesian-effect.js';
import { notEstimableEffect, resolveTestOptions, testEffect, type EffectEstimate, type Sides, type TestOptions } from './effect-test.js';
import { hasCovariate, regressionAdjust } from './regression-adjustment.js';
import { summarizeArm, type ArmSufficientStats, type ArmSummary } from './sufficient-stats.js';

export interface AnalysisOptions extends TestOptions {
  /** Use the covariate (CUPED) when both arms carry it; default true. */
  cuped?: boolean;
  /** Prior on the relative lift (absolute: rescaled by |control mean|); default flat. */
  prior?: GaussianPrior;
  /** The metric's better direction: turns chance to win and risk round when false; default true. */
  higherIsBetter?: boolean;
}

export interface TreatmentComparison {
  kind: ArmSufficientStats['kind'];
  alpha: number;
  sides: Sides;
  /** Tuning parameter when sequential, else null. */
  sequentialTuning: number | null;
  /** Unadjusted arm estimates. */
  control: ArmSummary;
  treatment: ArmSummary;
  /** CUPED details when applied, else null. */
  cuped: { theta: number; varianceReduction: number; controlMean: number; treatmentMean: number } | null;
  absolute: EffectEstimate;
  relative: EffectEstimate;
  bayesian: { prior: GaussianPrior; absolute: BayesianEstimate; relative: BayesianEstimate };
}

/**
 * Treatment against control from sufficient statistics: ratio by the delta method, CUPED when both
 * arms carry a covariate (theta pooled over the two arms), Welch or sequential test, Gaussian posterior.
 * Relative lifts are divided by the unadjusted control mean.
 */
export function compareTreatment(control: ArmSufficientStats, treatment: ArmSufficientStats, options: AnalysisOptions = {}): TreatmentComparison {
  const { alpha, sides, tuning } = resolveTestOptions(options);
  if (control.kind !== treatment.kind) throw new RangeError(`arms are of different kinds: ${control.kind} and ${treatment.kind}`);
  const prior = options.prior ?? FLAT_PRIOR;
  const ua = summarizeArm(control);
  const ub = summarizeArm(treatment);

  let a = { mean: ua.mean, variance: ua.variance };
  let b = { mean: ub.mean, variance: ub.variance };
  let relativeVariance = ub.variance / (ub.n * ua.mean ** 2) + (ua.variance * ub.mean ** 2) / (ua.n * ua.mean ** 4);
  let cuped: TreatmentComparison['cuped'] = null;
  if (options.cuped !== false && hasCovariate(control, treatment) && ua.n > 1 && ub.n > 1) {
    const ra = regressionAdjust(control, treatment);
    a = ra.control;
    b = ra.treatment;
    relativeVariance = ra.relativeVariance;
    cuped = { theta: ra.theta, varianceReduction: ra.varianceReduction, controlMean: ra.control.mean, treatmentMean: ra.treatment.mean };
  }

  const problem = varianceProblem(ua.n, a.variance, 'control') ?? varianceProblem(ub.n, b.variance, 'treatment');
  const va = a.variance / ua.n;
  const vb = b.variance / ub.n;
  const dof = (va + vb) ** 2 / ((va * va) / (ua.n - 1) + (vb * vb) / (ub.n - 1));
  const totalUnits = ua.n + ub.n;
  const opts = { alpha, sides, sequential: tuning === null ? false : { tuning } };

  let absolute: EffectEstimate;
  let relative: EffectEstimate;
  if (problem) {
    absolute = notEstimableEffect(problem);
    relative = notEstimableEffect(problem);
  } else if (!Number.isFinite(dof)) {
    absolute = relative = notEstimableEffect('Welch degrees of freedom are not finite.');
  } else {
    absolute = testEffect({ lift: b.mean - a.mean, variance: va + vb, dof, totalUnits }, opts);
    relative =
      ua.mean === 0
        ? notEstimableEffect('Control mean is 0, so relative lift is undefined.', dof)
        : testEffect({ lift: (b.mean - a.mean) / Math.abs(ua.mean), variance: relativeVariance, dof, totalUnits }, opts);
  }
  const scale = Math.abs(ua.mean);
  const higher = options.higherIsBetter !== false;
  const absPrior = prior.proper ? { mean: prior.mean * scale, variance: prior.variance * scale * scale, proper: scale > 0 } : prior;
  const bayes = (e: EffectEstimate, p: GaussianPrior) => (e.ok ? bayesianEffect(e.lift, e.se * e.se, p, alpha, higher) : bayesianEffect(0, 0, p, alpha, higher));
  return {
    kind: control.kind,
    alpha,
    sides,
    sequentialTuning: tuning,
    control: ua,
    treatment: ub,
    cuped,
    absolute,
    relative,
    bayesian: { prior, absolute: bayes(absolute, absPrior), relative: bayes(relative, prior) },
  };
}

function varianceProblem(n: number, variance: number, label: string): string | undefined {
  if (n <= 1) return `The ${label} arm has ${n} unit(s); at least 2 are needed to estimate a variance.`;
  if (Number.isNaN(variance)) return `The ${label} arm variance cannot be computed.`;
  if (variance < 0) return `The ${label} arm sums are inconsistent (negative variance); variance cannot be estimated.`;
  if (variance === 0) return `The ${label} arm has zero variance; the test is undefined.`;
  return undefined;
}

export interface NamedArm {
  variant: string;
  stats: ArmSufficientStats;
}

export interface VariantComparisons {
  control: string;
  comparisons: Array<{ variant: string } & TreatmentComparison>;
}

/** Every treatment arm against control (the arm named controlVariant, default the first). */
export function compareVariants(arms: NamedArm[], options: AnalysisOptions & { controlVariant?: string } = {}): VariantComparisons {
  if (arms.length < 2) throw new RangeError(`need a control and at least one treatment arm, got ${arms.length} arm(s)`);
  const names = new Set(arms.map((a) => a.variant));
  if (names.size !== arms.length) throw new RangeError('variant names must be unique');
  const control = options.controlVariant ?? arms[0].variant;
  const c = arms.find((a) => a.variant === control);
  if (!c) throw new RangeError(`control variant '${control}' is not among the arms (${[...names].join(', ')})`);
  return {
    control,
    comparisons: arms.filter((a) => a !== c).map((t) => ({ variant: t.variant, ...compareTreatment(c.stats, t.stats, options) })),
  };
}
