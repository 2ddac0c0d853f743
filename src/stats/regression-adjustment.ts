import {
  momentCovariance,
  momentMean,
  momentVariance,
  summarizeArm,
  type ArmSufficientStats,
  type ArmSummary,
} from './sufficient-stats.js';

/** One arm after regression adjustment (CUPED). */
export interface AdjustedArm extends ArmSummary {
  /** Mean and per-unit variance before adjustment. */
  unadjustedMean: number;
  unadjustedVariance: number;
}

export interface RegressionAdjustment {
  /** Pooled over the two compared arms; 0 when a pooled variance is 0 (then nothing is adjusted). */
  theta: number;
  control: AdjustedArm;
  treatment: AdjustedArm;
  /** Variances of the adjusted absolute and relative lift estimates. */
  absoluteVariance: number;
  relativeVariance: number;
  /** 1 - var(adjusted absolute lift) / var(unadjusted absolute lift). */
  varianceReduction: number;
}

/** True when both arms carry the covariate sums CUPED needs for their kind. */
export function hasCovariate(control: ArmSufficientStats, treatment: ArmSufficientStats): boolean {
  const has = (a: ArmSufficientStats) => {
    const c = a.cross ?? {};
    if (a.kind !== 'ratio') return a.x !== undefined && c.yx !== undefined;
    return a.x !== undefined && a.e !== undefined && (['yx', 'ye', 'dx', 'de', 'xe'] as const).every((k) => c[k] !== undefined);
  };
  return has(control) && has(treatment);
}

/**
 * Regression adjustment of treatment and control with one theta pooled over both arms,
 * following gbstats: for means / proportions theta = cov(y, x) / var(x) of the pooled arms;
 * for ratios the post ratio is adjusted by theta times the pre-period ratio, with theta chosen
 * from the summed per-arm delta-method covariances (compute_theta_regression_adjusted_ratio).
 */
export function regressionAdjust(control: ArmSufficientStats, treatment: ArmSufficientStats): RegressionAdjustment {
  if (!hasCovariate(control, treatment)) throw new RangeError('both arms need the covariate sums for regression adjustment');
  if (control.kind !== treatment.kind) throw new RangeError(`arms are of different kinds: ${control.kind} and ${treatment.kind}`);
  const ua = summarizeArm(control);
  const ub = summarizeArm(treatment);
  const unadjustedVar = ub.variance / ub.n + ua.variance / ua.n;
  const r = control.kind === 'ratio' ? ratioAdjust(control, treatment) : meanAdjust(control, treatment);
  const absoluteVariance = r.b.variance / ub.n + r.a.variance / ua.n;
  return {
    theta: r.theta,
    control: { n: ua.n, mean: r.a.mean, variance: r.a.variance, unadjustedMean: ua.mean, unadjustedVariance: ua.variance },
    treatment: { n: ub.n, mean: r.b.mean, variance: r.b.variance, unadjustedMean: ub.mean, unadjustedVariance: ub.variance },
    absoluteVariance,
    relativeVariance: r.relativeVariance,
    varianceReduction: unadjustedVar > 0 ? 1 - absoluteVariance / unadjustedVar : 0,
  };
}

interface Adjusted {
  theta: number;
  a: { mean: number; variance: number };
  b: { mean: number; variance: number };
  relativeVariance: number;
}

function meanAdjust(a: ArmSufficientStats, b: ArmSufficientStats): Adjusted {
  const prop = a.kind === 'proportion';
  const n = a.n + b.n;
  const add = (p: { sum: number; sumSquares: number }, q: { sum: number; sumSquares: number }) => ({ sum: p.sum + q.sum, sumSquares: p.sumSquares + q.sumSquares });
  const y = add(a.y, b.y);
  const x = add(a.x!, b.x!);
  const vy = momentVariance(n, y, prop);
  const vx = momentVariance(n, x, prop);
  const theta = vx === 0 || vy === 0 ? 0 : momentCovariance(n, y, x, a.cross!.yx! + b.cross!.yx!, prop) / vx;
  const arm = (s: ArmSufficientStats) => {
    const my = momentMean(s.n, s.y);
    const mx = momentMean(s.n, s.x!);
    const sy = momentVariance(s.n, s.y, prop);
    const sx = momentVariance(s.n, s.x!, prop);
    const cov = momentCovariance(s.n, s.y, s.x!, s.cross!.yx!, prop);
    const variance = s.n <= 1 ? 0 : sy + theta * theta * sx - 2 * theta * cov;
    return { mean: my - theta * mx, variance, my, sy, sx, cov };
  };
  const ra = arm(a);
  const rb = arm(b);
  // gbstats' frequentist_variance_relative_cuped: delta method for
  // (adj_b - adj_a) / mean_a_post with the control's post mean in the denominator.
  const m = ra.my;
  let relativeVariance = 0;
  if (m !== 0 && a.n > 0 && b.n > 0) {
    const vTrt = rb.variance / (b.n * m * m);
    const c = -rb.my;
    const vCtrl = ((ra.sy * c * c) / (m * m) + (2 * theta * ra.cov * c) / m + theta * theta * ra.sx) / (a.n * m * m);
    relativeVariance = vTrt + vCtrl;
  }
  return { theta, a: { mean: ra.mean, variance: ra.variance }, b: { mean: rb.mean, variance: rb.variance }, relativeVariance };
}

type Vec4 = [number, number, number, number];
type Mat4 = [Vec4, Vec4, Vec4, Vec4];

const quad = (u: number[], m: number[][], v: number[]): number => u.reduce((s, ui, i) => s + ui * v.reduce((t, vj, j) => t + m[i][j] * vj, 0), 0);

/** Means and per-unit covariance matrix of (y, d, x, e) = (m post, d post, m pre, d pre). */
function ratioMoments(s: ArmSufficientStats): { beta: Vec4; lambda: Mat4 } {
  const q = [s.y, s.d!, s.x!, s.e!];
  const c = s.cross!;
  const pair: Record<string, number> = { '01': c.yd!, '02': c.yx!, '03': c.ye!, '12': c.dx!, '13': c.de!, '23': c.xe! };
  const beta = q.map((m) => momentMean(s.n, m)) as Vec4;
  const lambda = q.map((mi, i) =>
    q.map((mj, j) => (i === j ? momentVariance(s.n, mi, false) : momentCovariance(s.n, mi, mj, pair[i < j ? `${i}${j}` : `${j}${i}`], false))),
  ) as Mat4;
  return { beta, lambda };
}

// Gradient of ratio_post - theta * ratio_pre with respect to (y, d, x, e) means.
function nabla(beta: Vec4, theta: number): Vec4 {
  if (beta[1] === 0 || beta[3] === 0) return [0, 0, 0, 0];
  return [1 / beta[1], -beta[0] / beta[1] ** 2, -theta / beta[3], (theta * beta[2]) / beta[3] ** 2];
}

function ratioAdjust(a: ArmSufficientStats, b: ArmSufficientStats): Adjusted {
  const A = ratioMoments(a);
  const B = ratioMoments(b);
  // With theta = 1 the pre part of the gradient is minus the pre ratio's gradient.
  const preVar = (M: typeof A) => {
    const g = nabla(M.beta, 1);
    return quad(g.slice(2), M.lambda.slice(2).map((r) => r.slice(2)), g.slice(2));
  };
  const prePostCov = (M: typeof A) => {
    const g = nabla(M.beta, 1);
    return quad(g.slice(2), M.lambda.slice(2).map((r) => r.slice(0, 2)), g.slice(0, 2));
  };
  const denom = preVar(A) + preVar(B);
  let theta = denom === 0 ? 0 : -(prePostCov(A) + prePostCov(B)) / denom;
  // gbstats falls back to the plain ratio when theta is negligible.
  if (Math.abs(theta) < 1e-8) theta = 0;
  const arm = (s: ArmSufficientStats, M: typeof A) => {
    const post = s.d!.sum === 0 ? 0 : s.y.sum / s.d!.sum;
    const pre = s.e!.sum === 0 ? 0 : s.x!.sum / s.e!.sum;
    const mean = s.d!.sum === 0 || s.e!.sum === 0 ? 0 : post - theta * pre;
    const g = nabla(M.beta, theta);
    return { mean, variance: s.n <= 1 ? 0 : quad(g, M.lambda, g), post, g };
  };
  const ra = arm(a, A);
  const rb = arm(b, B);
  // gbstats' frequentist_variance_relative_cuped_ratio: delta method for
  // (adj_b - adj_a) / |ratio_post_a| over the 4 + 4 arm means.
  let relativeVariance = 0;
  const R = Math.abs(ra.post);
  const dA = A.beta[1];
  if (ra.post !== 0 && dA !== 0 && a.n > 0 && b.n > 0) {
    const gAbs = rb.mean - ra.mean;
    const ga = [-(R + gAbs) / dA / R ** 2, ((A.beta[0] * R) / dA ** 2 + (A.beta[0] * gAbs) / dA ** 2) / R ** 2, -ra.g[2] / R, -ra.g[3] / R];
    const gb = rb.g.map((v) => v / R);
    relativeVariance = quad(ga, A.lambda, ga) / a.n + quad(gb, B.lambda, gb) / b.n;
  }
  return { theta, a: { mean: ra.mean, variance: ra.variance }, b: { mean: rb.mean, variance: rb.variance }, relativeVariance };
}
