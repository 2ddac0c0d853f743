import {
  eventQuantileRanks,
  eventShareVariance,
  notEstimableEffect,
  QUANTILE_ORDER_CI,
  quantileArmStats,
  quantileMinimumUnits,
  quantileOrderRanks,
  quantileStandardError,
  type ArmSufficientStats,
  type EventQuantileSums,
} from '../stats/index.js';
import type { ComparisonResult } from './results.js';
import type { ResolvedExperiment, ResolvedMetric } from '../spec/types.js';
import type { Cell, Row } from '../warehouse/types.js';

/** One arm of a quantile metric: the order statistics the quantiles step returned, and what they imply. */
export interface QuantileArmResult {
  variant: string;
  /** Units whose value entered the quantile (with ignore_zeros: those with a non-zero value); event level: units with events. */
  n: number;
  /** Values ordered: n for unit-level metrics, the events for event-level ones. */
  events: number;
  /** Event level: the clustered variance of the share of events at or below the estimate (unit level: null). */
  shareVariance: number | null;
  /** The sample quantile, and the bounds of its distribution-free interval (confidence `confidence`). */
  estimate: number;
  lower: number;
  upper: number;
  /** 1-based ranks of those order statistics among the arm's n ordered values, as the warehouse computed them. */
  ranks: { estimate: number; lower: number; upper: number };
  /** Standard error (upper - lower) / (2 z) and the density at the quantile it implies. */
  se: number;
  density: number;
}

/** results.json `metrics[].quantile`: how a quantile metric's arms were measured. */
export interface QuantileMetricResult {
  level: number;
  levelOf: 'unit' | 'event';
  ignoreZeros: boolean;
  confidence: number;
  /** Fewer units than this in an arm and its interval is not a 95% one (clipped ranks): its comparisons are not estimable. */
  minimumUnits: number;
  arms: QuantileArmResult[];
}

const num = (c: Cell | undefined): number => (c === null || c === undefined ? 0 : Number(c));

/**
 * Quantiles-step rows -> each arm's order statistics and the mean-type sufficient statistics the
 * comparisons take (mean = the quantile, variance / n = se^2; src/stats/quantile-estimate.ts).
 * The ranks the warehouse used must be the ones src/stats computes for the same n: a mismatch would mean
 * the SQL and the statistics disagree on the method, so it fails loudly instead of reporting wrong intervals.
 */
export function quantileArms(exp: ResolvedExperiment, m: ResolvedMetric, rows: Row[]): { stats: { variant: string; stats: ArmSufficientStats }[]; result: QuantileMetricResult } {
  const level = m.quantile!.level;
  const event = m.quantile!.levelOf === 'event';
  const arms = exp.variants.map((v): QuantileArmResult => {
    const r = rows.find((x) => x.metric === m.name && x.variant === v.key);
    const n = num(r?.units);
    if (!r || n === 0) return { variant: v.key, n: 0, events: 0, shareVariance: null, estimate: 0, lower: 0, upper: 0, ranks: { estimate: 0, lower: 0, upper: 0 }, se: 0, density: 0 };
    const ranks = { estimate: num(r.estimate_rank), lower: num(r.lower_rank), upper: num(r.upper_rank) };
    const events = num(r.events);
    const sums: EventQuantileSums | null = event
      ? { units: n, events, below: { sum: num(r.below_sum), sumSquares: num(r.below_sum_squares) }, eventCount: { sum: num(r.event_sum), sumSquares: num(r.event_sum_squares) }, belowTimesEvents: num(r.below_event_sum) }
      : null;
    const expected = sums ? eventQuantileRanks(sums, level) : quantileOrderRanks(n, level);
    if (expected.estimate !== ranks.estimate || expected.lower !== ranks.lower || expected.upper !== ranks.upper) {
      throw new Error(`quantile metric '${m.name}', variant '${v.key}': the warehouse used ranks ${JSON.stringify(ranks)} for n = ${n}, the statistics expect ${JSON.stringify(expected)}`);
    }
    const arm = { n, estimate: num(r.estimate), lower: num(r.lower_value), upper: num(r.upper_value) };
    const shareVariance = sums ? eventShareVariance(sums) : null;
    const { se, density } = quantileStandardError(arm, level);
    // Event level: the density at the quantile is sqrt(V) / se, V the clustered variance of the share below it.
    return { variant: v.key, ...arm, events, shareVariance, ranks, se, density: shareVariance === null ? density : se > 0 ? Math.sqrt(shareVariance) / se : 0 };
  });
  return {
    stats: arms.map((a) => ({ variant: a.variant, stats: quantileArmStats(a) })),
    result: { level, levelOf: m.quantile!.levelOf, ignoreZeros: m.quantile!.ignoreZeros, confidence: QUANTILE_ORDER_CI, minimumUnits: quantileMinimumUnits(level), arms },
  };
}

/**
 * Comparisons of a quantile metric where either arm has fewer units than the interval needs become not
 * estimable, with the reason: their clipped order statistics understate the uncertainty.
 */
export function refuseSmallQuantileArms(result: QuantileMetricResult, control: string, comparisons: ComparisonResult[]): ComparisonResult[] {
  const small = (v: string) => (result.arms.find((a) => a.variant === v)?.n ?? 0) < result.minimumUnits;
  return comparisons.map((c) => {
    const arm = small(control) ? control : small(c.variant) ? c.variant : null;
    if (arm === null) return c;
    const message = `Too few units in ${arm} for the p${Number((result.level * 100).toPrecision(6))} interval: a quantile at this level needs at least ${result.minimumUnits} units per arm.`;
    return {
      ...c,
      absolute: notEstimableEffect(message),
      relative: notEstimableEffect(message),
      bayesian: { ok: false, message, mean: 0, sd: 0, chanceToWin: 0.5, risk: [0, 0], ci: [0, 0] },
    };
  });
}
