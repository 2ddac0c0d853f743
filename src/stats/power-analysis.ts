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
 * Power of the relative-lift test at `totalUnits` units over all arms, with the same variance formula the
 * analysis uses (delta method, control mean in the denominator) and a normal approximation to Welch's t.
 * Sequential: the chance that the always-valid interval at the end excludes 0 (a lower bound, since it
 * could already have excluded 0 at an earlier look).
 */
function powerAt(r: Resolved, lift: number, totalUnits: number): number {
  const na = totalUnits * r.shareA;
  const nb = totalUnits * r.shareB;
  const ma = r.mean;
  const mb = ma * (1 + lift);
  const vb = r.proportion ? Math.max(0, mb * (1 - mb)) : r.variance;
  const variance = vb / (nb * ma * ma) + (r.variance * mb * mb) / (na * ma ** 4);
  const se = Math.sqrt(variance);
  let half: number;
  if (r.tuning === null) half = standardNormalQuantile(1 - (r.sides === 'two-sided' ? r.alpha / 2 : r.alpha)) * se;
  else if (r.sides === 'two-sided') half = sequentialHalfWidth(variance, na + nb, r.alpha, r.tuning);
  else half = sequentialOneSidedHalfWidth(variance, na + nb, r.alpha, r.tuning);
  const up = standardNormalCdf((lift - half) / se);
  const down = standardNormalCdf((-lift - half) / se);
  if (r.sides === 'greater') return up;
  if (r.sides === 'less') return down;
  return up + down;
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
