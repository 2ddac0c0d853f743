import { armMoments, type ArmMoments, type ArmSums, type MetricKind } from './arm-moments.js';
import { studentTQuantile, studentTTwoSidedP } from './distributions.js';

export interface LiftEstimate {
  /** false when the variance cannot be estimated; the numbers are then placeholders. */
  ok: boolean;
  /** Why the estimate is not ok, in plain words. */
  message?: string;
  /** absolute: mean_b - mean_a; relative: (mean_b - mean_a) / |mean_a| */
  lift: number;
  se: number;
  ci: [number, number];
  pValue: number;
  /** Welch-Satterthwaite degrees of freedom. */
  dof: number;
}

export interface Comparison {
  control: ArmMoments;
  treatment: ArmMoments;
  absolute: LiftEstimate;
  relative: LiftEstimate;
  alpha: number;
}

/**
 * Two-sided Welch t-test of treatment (b) against control (a) for absolute and
 * relative lift, following the gbstats conventions.
 */
export function compareArms(
  kind: MetricKind,
  control: ArmSums,
  treatment: ArmSums,
  alpha = 0.05,
): Comparison {
  if (!(alpha > 0 && alpha < 1)) {
    throw new RangeError(`alpha must be strictly between 0 and 1, got ${alpha}`);
  }
  const a = armMoments(kind, control);
  const b = armMoments(kind, treatment);
  const dof = welchDof(a, b);

  const armProblem = varianceProblem(a, 'control') ?? varianceProblem(b, 'treatment');
  const dofProblem = Number.isFinite(dof) ? undefined : 'Welch degrees of freedom are not finite.';
  const common = armProblem ?? dofProblem;

  const absolute = common
    ? notEstimable(common)
    : estimate(b.mean - a.mean, b.variance / b.n + a.variance / a.n, dof, alpha);

  let relative: LiftEstimate;
  if (common) {
    relative = notEstimable(common);
  } else if (a.mean === 0) {
    relative = notEstimable('Control mean is 0, so relative lift is undefined.', dof);
  } else {
    const ma2 = a.mean * a.mean;
    // Delta-method variance of (mean_b - mean_a) / mean_a; the sign of mean_a cancels.
    const variance = b.variance / (b.n * ma2) + (a.variance * b.mean * b.mean) / (a.n * ma2 * ma2);
    relative = estimate((b.mean - a.mean) / Math.abs(a.mean), variance, dof, alpha);
  }

  return { control: a, treatment: b, absolute, relative, alpha };
}

// Uses the unscaled arm variances for both lifts, as gbstats does; the relative
// test therefore shares the absolute test's dof.
function welchDof(a: ArmMoments, b: ArmMoments): number {
  const va = a.variance / a.n;
  const vb = b.variance / b.n;
  return (va + vb) ** 2 / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
}

function varianceProblem(arm: ArmMoments, label: string): string | undefined {
  if (arm.n <= 1) {
    return `The ${label} arm has ${arm.n} unit(s); at least 2 are needed to estimate a variance.`;
  }
  if (Number.isNaN(arm.variance)) return `The ${label} arm variance cannot be computed.`;
  if (arm.variance < 0) {
    return `The ${label} arm sums are inconsistent (negative variance); variance cannot be estimated.`;
  }
  if (arm.variance === 0) {
    return `The ${label} arm has zero variance; the test is undefined.`;
  }
  return undefined;
}

function estimate(lift: number, variance: number, dof: number, alpha: number): LiftEstimate {
  const se = Math.sqrt(variance);
  if (!(se > 0) || !Number.isFinite(se)) {
    return notEstimable('The standard error is zero or not finite.');
  }
  const half = studentTQuantile(1 - alpha / 2, dof) * se;
  return {
    ok: true,
    lift,
    se,
    ci: [lift - half, lift + half],
    pValue: studentTTwoSidedP(lift / se, dof),
    dof,
  };
}

// gbstats' default output: placeholders that cannot be mistaken for a finding.
// dof is 0 unless it was itself meaningful (only the control-mean-0 case), since
// it is computed from the very variances that were rejected.
function notEstimable(message: string, dof = 0): LiftEstimate {
  return { ok: false, message, lift: 0, se: 0, ci: [0, 0], pValue: 1, dof };
}
