import { standardNormalQuantile } from './distributions.js';
import type { EffectEstimate, Interval, Sides } from './effect-test.js';

export type Correction = 'holm' | 'bh' | 'none';

function checked(pValues: number[]): number[] {
  for (const p of pValues) if (!(p >= 0 && p <= 1)) throw new RangeError(`p-values must be in [0, 1], got ${p}`);
  return pValues;
}

/** Holm-Bonferroni step-down adjusted p-values (family-wise error), clipped to 1, in input order. */
export function holmBonferroni(pValues: number[]): number[] {
  const m = checked(pValues).length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p || a.i - b.i);
  const out = new Array<number>(m);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    // Monotone: an adjusted p-value is never below the one of a smaller raw p-value.
    running = Math.max(running, Math.min(1, (m - rank) * p));
    out[i] = running;
  });
  return out;
}

/** Benjamini-Hochberg step-up adjusted p-values (false discovery rate), clipped to 1, in input order. */
export function benjaminiHochberg(pValues: number[]): number[] {
  const m = checked(pValues).length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p || a.i - b.i);
  const out = new Array<number>(m);
  let running = 1;
  for (let rank = m - 1; rank >= 0; rank--) {
    const { p, i } = order[rank];
    running = Math.min(running, (m * p) / (rank + 1));
    out[i] = Math.min(1, running);
  }
  return out;
}

export function adjustPValues(pValues: number[], method: Correction): number[] {
  if (method === 'holm') return holmBonferroni(pValues);
  if (method === 'bh') return benjaminiHochberg(pValues);
  if (method === 'none') return checked(pValues).slice();
  throw new RangeError(`unknown correction '${String(method)}' (known: holm, bh, none)`);
}

export interface CorrectedEffect {
  pValueAdjusted: number;
  ciAdjusted: Interval;
}

/** Recomputes an estimate's interval at another level (the test's own method, e.g. sequential). */
export type IntervalAtLevel = (index: number, alpha: number) => Interval;

/**
 * Adjusted p-values and intervals for a family of estimates (one per metric / dimension value / arm).
 * Fixed-horizon intervals follow GrowthBook (getAdjustedCI): the standard error implied by the lift and
 * the adjusted p-value, |lift| / z(1 - p_adj / 2), times z(1 - alpha / 2); unbounded when p_adj is 1 (to
 * 1e-6); kept only if wider than the unadjusted interval on both sides, else the unadjusted interval.
 * One-sided tests use the one-sided quantiles on their bounded side. Estimates that are not ok keep
 * p 1 out of the family (they add to m, as a metric that could not be tested still was looked at).
 *
 * Sequential (always-valid) p-values are not normal tail areas, so the implied-z formula does not hold
 * for them (it gave "-23468% to +inf" for a one-sided sequential test at p 0.4999). When `intervalAt` is
 * given, the adjusted interval is the test's own interval at level alpha * p / p_adj: the level at which
 * the unadjusted test rejects exactly when the adjusted p-value is below alpha, so interval and
 * adjusted p-value agree. For Holm and BH p_adj <= m p, so the level is at least alpha / m (Bonferroni).
 * Corrections use `pValueExact` when an estimate carries it (one-sided sequential p above gbstats' cap).
 */
export function correctFamily(estimates: EffectEstimate[], method: Correction, alpha = 0.05, sides: Sides = 'two-sided', intervalAt?: IntervalAtLevel): CorrectedEffect[] {
  const raw = estimates.map((e) => (e.ok ? (e.pValueExact ?? e.pValue) : 1));
  const adjusted = adjustPValues(raw, method);
  return estimates.map((e, i) => {
    const p = adjusted[i];
    if (!e.ok || method === 'none') return { pValueAdjusted: p, ciAdjusted: e.ci };
    if (intervalAt) {
      if (!(raw[i] > 0) || p <= raw[i]) return { pValueAdjusted: p, ciAdjusted: e.ci };
      return { pValueAdjusted: p, ciAdjusted: intervalAt(i, (alpha * raw[i]) / p) };
    }
    if (p > 0.999999) return { pValueAdjusted: p, ciAdjusted: [null, null] };
    if (e.lift === 0) return { pValueAdjusted: p, ciAdjusted: e.ci };
    const tail = sides === 'two-sided' ? 2 : 1;
    const width = (standardNormalQuantile(1 - alpha / tail) * Math.abs(e.lift)) / standardNormalQuantile(1 - p / tail);
    const lo = e.lift - width;
    const hi = e.lift + width;
    const [cLo, cHi] = e.ci;
    if (sides === 'two-sided') return { pValueAdjusted: p, ciAdjusted: cLo !== null && cHi !== null && lo < cLo && hi > cHi ? [lo, hi] : e.ci };
    if (sides === 'greater') return { pValueAdjusted: p, ciAdjusted: cLo !== null && lo < cLo ? [lo, null] : e.ci };
    return { pValueAdjusted: p, ciAdjusted: cHi !== null && hi > cHi ? [null, hi] : e.ci };
  });
}
