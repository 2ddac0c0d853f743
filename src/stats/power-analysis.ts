import { standardNormalCdf, standardNormalQuantile } from './distributions.js';
import type { Sides } from './effect-test.js';
import { DEFAULT_SEQUENTIAL_TUNING, sequentialHalfWidth, sequentialOneSidedHalfWidth } from './sequential-bound.js';

export interface PowerInputs {
  /** Baseline per-unit mean and variance of the primary metric. */
  baselineMean: number;
  baselineVariance: number;
  /** 'proportion' recomputes the treatment variance p (1 - p) at the lifted mean; default 'mean'. */
  kind?: 'mean' | 'proportion';
  /** New units per day over all arms. */
  dailyUnits: number;
  /** Traffic weights of the arms, control first; default [0.5, 0.5]. */
  weights?: number[];
  alpha?: number;
  /** Target power, default 0.8. */
  power?: number;
  sides?: Sides;
  /** Sequential (always-valid) test; the tuning parameter default 5000. */
  sequential?: boolean;
  sequentialTuning?: number;
}

export interface SampleSizePlan {
  relativeMde: number;
  /** Units needed in each arm, control first (null when unreachable). */
  unitsPerArm: number[] | null;
  totalUnits: number | null;
  /** totalUnits / dailyUnits, not rounded (a fraction of a day means the last day is partial). */
  days: number | null;
}

export interface DurationPlan {
  days: number;
  totalUnits: number;
  unitsPerArm: number[];
  /** Smallest relative lift detected with the target power (null when none is). */
  relativeMde: number | null;
  absoluteMde: number | null;
}

interface Resolved {
  mean: number;
  variance: number;
  proportion: boolean;
  daily: number;
  shares: number[];
  /** Shares of control and of the smallest treatment arm: the comparison with least power. */
  shareA: number;
  shareB: number;
  alpha: number;
  power: number;
  sides: Sides;
  tuning: number | null;
}

function resolve(i: PowerInputs): Resolved {
  const weights = i.weights ?? [0.5, 0.5];
  if (weights.length < 2 || weights.some((w) => !(w > 0 && Number.isFinite(w)))) throw new RangeError('weights need 2 or more arms, each > 0');
  const total = weights.reduce((s, w) => s + w, 0);
  const shares = weights.map((w) => w / total);
  const alpha = i.alpha ?? 0.05;
  const power = i.power ?? 0.8;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be strictly between 0 and 1, got ${alpha}`);
  if (!(power > 0 && power < 1)) throw new RangeError(`power must be strictly between 0 and 1, got ${power}`);
  if (!(i.baselineMean !== 0 && Number.isFinite(i.baselineMean))) throw new RangeError('the baseline mean must be finite and not 0 (relative lift is undefined)');
  if (!(i.baselineVariance > 0 && Number.isFinite(i.baselineVariance))) throw new RangeError('the baseline variance must be > 0');
  if (!(i.dailyUnits > 0)) throw new RangeError('daily units must be > 0');
  return {
    mean: i.baselineMean,
    variance: i.baselineVariance,
    proportion: i.kind === 'proportion',
    daily: i.dailyUnits,
    shares,
    shareA: shares[0],
    shareB: Math.min(...shares.slice(1)),
    alpha,
    power,
    sides: i.sides ?? 'two-sided',
    tuning: i.sequential ? (i.sequentialTuning ?? DEFAULT_SEQUENTIAL_TUNING) : null,
  };
}

/**
 * Gauss-Hermite nodes and weights for integrals of f(x) exp(-x^2): the roots of the Hermite polynomial
 * H_n found by Newton's method from the usual asymptotic starting points (Golub and Welsch give the same
 * values; n = 40 integrates smooth functions of a normal variable to ~1e-12).
 */
function gaussHermite(n: number): { x: number[]; w: number[] } {
  const x = new Array<number>(n).fill(0);
  const w = new Array<number>(n).fill(0);
  const m = Math.floor((n + 1) / 2);
  let z = 0;
  for (let i = 0; i < m; i++) {
    if (i === 0) z = Math.sqrt(2 * n + 1) - 1.85575 * (2 * n + 1) ** -0.16667;
    else if (i === 1) z -= (1.14 * n ** 0.426) / z;
    else if (i === 2) z = 1.86 * z - 0.86 * x[0];
    else if (i === 3) z = 1.91 * z - 0.91 * x[1];
    else z = 2 * z - x[i - 2];
    let pp = 0;
    for (let it = 0; it < 100; it++) {
      // Orthonormal Hermite recurrence: p_j = z sqrt(2/j) p_{j-1} - sqrt((j-1)/j) p_{j-2}.
      let p1 = Math.PI ** -0.25;
      let p2 = 0;
      for (let j = 1; j <= n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = z * Math.sqrt(2 / j) * p2 - Math.sqrt((j - 1) / j) * p3;
      }
      pp = Math.sqrt(2 * n) * p2;
      const dz = p1 / pp;
      z -= dz;
      if (Math.abs(dz) < 1e-14) break;
    }
    x[i] = z;
    x[n - 1 - i] = -z;
    w[i] = 2 / (pp * pp);
    w[n - 1 - i] = w[i];
  }
  return { x, w };
}

const GH = gaussHermite(40);

/**
 * Power of the relative-lift test at `totalUnits` units over all arms. The test the analysis runs divides
 * by the *estimated* control mean and plugs estimated variances into the delta method, which matters
 * for large lifts and small samples; so the power is integrated over the sampling distribution of both
 * arm means (normal): Gauss-Hermite over the control mean, and for each node the exact normal tail of
 * the treatment mean beyond the rejection boundary, found by bisection. Sequential: the chance that the
 * always-valid interval at the end excludes 0 (a lower bound, since it could have excluded 0 earlier).
 */
function powerAt(r: Resolved, lift: number, totalUnits: number): number {
  const na = totalUnits * r.shareA;
  const nb = totalUnits * r.shareB;
  const ma = r.mean;
  const mb = ma * (1 + lift);
  const varA = (a: number) => (r.proportion ? Math.max(0, a * (1 - a)) : r.variance);
  const varB = (b: number) => (r.proportion ? Math.max(0, b * (1 - b)) : r.variance);
  const sdA = Math.sqrt(varA(ma) / na);
  const sdB = Math.sqrt(varB(mb) / nb);
  if (!(sdA > 0 && sdB > 0)) return lift === 0 ? 0 : 1;
  const z = standardNormalQuantile(1 - (r.sides === 'two-sided' ? r.alpha / 2 : r.alpha));
  const half = (a: number, b: number) => {
    const v = varB(b) / (nb * a * a) + (varA(a) * b * b) / (na * a ** 4);
    if (r.tuning === null) return z * Math.sqrt(v);
    return r.sides === 'two-sided' ? sequentialHalfWidth(v, na + nb, r.alpha, r.tuning) : sequentialOneSidedHalfWidth(v, na + nb, r.alpha, r.tuning);
  };
  // Treatment means the analysis can see: a proportion stays in [0, 1].
  const lowB = r.proportion ? 0 : mb - 40 * sdB;
  const highB = r.proportion ? 1 : mb + 40 * sdB;
  /** The b where g changes sign on [lo, hi] (g increasing), or null when it does not. */
  const boundary = (g: (b: number) => number, lo: number, hi: number): number | null => {
    if (g(lo) > 0 || g(hi) <= 0) return g(lo) > 0 ? lo : null;
    for (let k = 0; k < 80; k++) {
      const mid = (lo + hi) / 2;
      if (g(mid) > 0) hi = mid;
      else lo = mid;
    }
    return hi;
  };
  let up = 0;
  let down = 0;
  for (let i = 0; i < GH.x.length; i++) {
    const a = ma + Math.SQRT2 * sdA * GH.x[i];
    const weight = GH.w[i] / Math.sqrt(Math.PI);
    if (a <= 0) continue;
    // Reject upward when b / a - 1 > half; downward when b / a - 1 < -half.
    const tUp = boundary((b) => b / a - 1 - half(a, b), Math.max(lowB, a), highB);
    if (tUp !== null) up += weight * (1 - standardNormalCdf((tUp - mb) / sdB));
    const tDown = boundary((b) => b / a - 1 + half(a, b), lowB, Math.min(highB, a));
    if (tDown !== null) down += weight * standardNormalCdf((tDown - mb) / sdB);
  }
  if (r.sides === 'greater') return up;
  if (r.sides === 'less') return down;
  return Math.min(1, up + down);
}

/** Power to detect a relative lift after `days` (comparison of the smallest treatment arm with control). */
export function powerForLift(inputs: PowerInputs, relativeLift: number, days: number): number {
  const r = resolve(inputs);
  if (!(days > 0)) throw new RangeError('days must be > 0');
  return powerAt(r, relativeLift, r.daily * days);
}

const MAX_UNITS = 1e13;

export function sampleSizeForMde(inputs: PowerInputs, relativeMde: number): SampleSizePlan {
  const r = resolve(inputs);
  if (!(relativeMde !== 0 && Number.isFinite(relativeMde))) throw new RangeError('the relative MDE must be a finite number other than 0');
  const f = (n: number) => powerAt(r, relativeMde, n) - r.power;
  let hi = 16;
  while (f(hi) < 0 && hi < MAX_UNITS) hi *= 2;
  if (f(hi) < 0) return { relativeMde, unitsPerArm: null, totalUnits: null, days: null };
  let lo = hi / 2;
  if (f(lo) >= 0) lo = 2;
  for (let k = 0; k < 200 && hi - lo > 0.5; k++) {
    const mid = (lo + hi) / 2;
    if (f(mid) >= 0) hi = mid;
    else lo = mid;
  }
  const unitsPerArm = r.shares.map((s) => Math.ceil(hi * s));
  const totalUnits = unitsPerArm.reduce((s, u) => s + u, 0);
  return { relativeMde, unitsPerArm, totalUnits, days: totalUnits / r.daily };
}

export function mdeForDuration(inputs: PowerInputs, days: number): DurationPlan {
  const r = resolve(inputs);
  if (!(days > 0)) throw new RangeError('days must be > 0');
  const totalUnits = r.daily * days;
  const unitsPerArm = r.shares.map((s) => Math.floor(totalUnits * s));
  const sign = r.sides === 'less' ? -1 : 1;
  // A proportion cannot be lifted past 1 (or below 0): search only where the lifted mean exists.
  const cap = r.proportion ? (sign > 0 ? 1 / r.mean - 1 : 1) : 1e6;
  const f = (l: number) => powerAt(r, sign * l, totalUnits) - r.power;
  if (f(cap * (1 - 1e-12)) < 0) return { days, totalUnits, unitsPerArm, relativeMde: null, absoluteMde: null };
  let lo = 0;
  let hi = cap * (1 - 1e-12);
  for (let k = 0; k < 200 && hi - lo > 1e-12 * Math.max(1, hi); k++) {
    const mid = (lo + hi) / 2;
    if (f(mid) >= 0) hi = mid;
    else lo = mid;
  }
  const relativeMde = sign * hi;
  return { days, totalUnits, unitsPerArm, relativeMde, absoluteMde: relativeMde * Math.abs(r.mean) };
}
