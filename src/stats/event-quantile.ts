import { quantileOrderZ } from './quantile-estimate.js';

/**
 * Per-arm sums over units (clusters) for an event-level quantile: n units, N events; per unit i, e_i its
 * events and m_i its events at or below the arm's sample quantile. The warehouse returns these sums.
 */
export interface EventQuantileSums {
  units: number;
  events: number;
  below: { sum: number; sumSquares: number };
  eventCount: { sum: number; sumSquares: number };
  /** Sum over units of m_i e_i. */
  belowTimesEvents: number;
}

/**
 * Clustered variance of F = sum(m) / sum(e), the share of events at or below the sample quantile, by the
 * delta method for a ratio of unit means (Deng, Knoblich and Lu 2018, "Applying the Delta Method in
 * Metric Analytics", KDD, section on quantile metrics): V = (s_m^2 - 2 F s_me + F^2 s_e^2) / (n ebar^2),
 * with sample (co)variances over units and ebar = N / n. Without clustering (one event per unit) it is
 * about q (1 - q) / N. The same operations, in the same order, run in the quantiles step's SQL.
 */
export function eventShareVariance(s: EventQuantileSums): number {
  const n = s.units;
  if (n <= 1 || s.eventCount.sum <= 0) return 0;
  const f = s.below.sum / s.eventCount.sum;
  const vm = (s.below.sumSquares - (s.below.sum * s.below.sum) / n) / (n - 1);
  const ve = (s.eventCount.sumSquares - (s.eventCount.sum * s.eventCount.sum) / n) / (n - 1);
  const cme = (s.belowTimesEvents - (s.below.sum * s.eventCount.sum) / n) / (n - 1);
  const ebar = s.eventCount.sum / n;
  return Math.max(0, (vm - 2 * f * cme + f * f * ve) / (n * ebar * ebar));
}

/**
 * 1-based ranks of the event order statistics bounding the q-th event quantile with 95% confidence,
 * with the clustered variance of the share below it: floor(N q - z N sqrt(V)) and ceil(N q + z N sqrt(V)),
 * clipped to [1, N]; the estimate's rank is ceil(N q).
 */
export function eventQuantileRanks(s: EventQuantileSums, q: number): { estimate: number; lower: number; upper: number } {
  const big = s.events;
  const clip = (r: number) => Math.min(big, Math.max(1, r));
  const half = quantileOrderZ() * big * Math.sqrt(eventShareVariance(s));
  return { estimate: clip(Math.ceil(big * q)), lower: clip(Math.floor(big * q - half)), upper: clip(Math.ceil(big * q + half)) };
}
