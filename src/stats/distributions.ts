import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import chiSquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';

// stdlib's Student t breaks down for huge dof: the quantile returns 0 from about
// 1e17 and the cdf returns 0.5 for dof = Infinity. Above 1e15 the t and the normal
// differ by less than 1e-14 (relative) across the range we use, so switch there.
const NORMAL_LIMIT_DOF = 1e15;

/** Quantile of Student's t with `dof` degrees of freedom (NaN for p outside [0, 1] or dof <= 0). */
export function studentTQuantile(p: number, dof: number): number {
  if (Number.isNaN(p) || Number.isNaN(dof) || p < 0 || p > 1 || dof <= 0) return NaN;
  if (dof >= NORMAL_LIMIT_DOF) return normalQuantile(p, 0, 1);
  return tQuantile(p, dof);
}

/** Two-sided p-value P(|T| >= |t|) for Student's t with `dof` degrees of freedom. */
export function studentTTwoSidedP(t: number, dof: number): number {
  if (Number.isNaN(t) || Number.isNaN(dof) || dof <= 0) return NaN;
  // Evaluating the lower tail at -|t| keeps precision for tiny p-values,
  // where 2 * (1 - cdf(|t|)) would cancel to 0.
  const a = -Math.abs(t);
  const tail = dof >= NORMAL_LIMIT_DOF ? normalCdf(a, 0, 1) : tCdf(a, dof);
  return Math.min(1, 2 * tail);
}

/** Upper tail P(X >= x) of the chi-square distribution with `dof` degrees of freedom. */
export function chiSquareUpperTail(x: number, dof: number): number {
  if (Number.isNaN(x) || Number.isNaN(dof) || dof < 0) return NaN;
  if (x <= 0) return 1;
  // 1 - cdf loses relative precision only far below the 0.001 SRM alert threshold,
  // which is the only place this tail is consumed.
  return Math.min(1, Math.max(0, 1 - chiSquareCdf(x, dof)));
}

/** Cumulative distribution P(T <= t) of Student's t with `dof` degrees of freedom. */
export function studentTCdf(t: number, dof: number): number {
  if (Number.isNaN(t) || Number.isNaN(dof) || dof <= 0) return NaN;
  return dof >= NORMAL_LIMIT_DOF ? normalCdf(t, 0, 1) : tCdf(t, dof);
}

/** Standard normal cdf and quantile, re-exported so callers need not know stdlib. */
export function standardNormalCdf(z: number): number {
  return normalCdf(z, 0, 1);
}

export function standardNormalQuantile(p: number): number {
  return normalQuantile(p, 0, 1);
}

/** Standard normal density. */
export function standardNormalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}
