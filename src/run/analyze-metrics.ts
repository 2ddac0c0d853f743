import type { MetricLayout, Quantity } from '../compile/metric-plan.js';
import {
  compareVariants,
  correctFamily,
  intervalAtLevel,
  pairedTTest,
  summarizeArm,
  type AnalysisOptions,
  type ArmSufficientStats,
  type Correction,
  type EffectEstimate,
  type Sides,
} from '../stats/index.js';
import type { ResolvedExperiment, ResolvedMetric } from '../spec/types.js';
import type { Cell, Row } from '../warehouse/types.js';
import type { ArmResult, ComparisonResult, MetricMethod, MetricResult } from './results.js';
import { quantileArms, refuseSmallQuantileArms } from './quantile-results.js';

const num = (c: Cell | undefined): number => (c === null || c === undefined ? 0 : Number(c));
const numOrNull = (c: Cell | undefined): number | null => (c === null || c === undefined ? null : Number(c));
const CORRECTION: Record<ResolvedExperiment['analysis']['correction'], Correction> = { none: 'none', holm: 'holm', benjamini_hochberg: 'bh' };

/** One metrics-step row -> an arm's sufficient statistics, as the statistics functions take them. */
function armStats(m: ResolvedMetric, l: MetricLayout, row: Row | undefined): ArmSufficientStats {
  const kind = m.kind === 'ratio' ? 'ratio' : m.kind === 'proportion' ? 'proportion' : 'mean';
  const moments = (q: Quantity) => {
    const s = l.sums[q];
    return s ? { sum: num(row?.[s.sum]), sumSquares: num(row?.[s.sumSquares]) } : undefined;
  };
  const cross = Object.fromEntries(Object.entries(l.cross).map(([k, alias]) => [k, num(row?.[alias])]));
  return {
    kind,
    n: num(row?.[l.nAlias ?? 'units']),
    y: moments('y')!,
    ...(l.sums.d ? { d: moments('d') } : {}),
    ...(l.sums.x ? { x: moments('x') } : {}),
    ...(l.sums.e ? { e: moments('e') } : {}),
    cross,
  };
}

export function metricMethod(exp: ResolvedExperiment, m: ResolvedMetric): MetricMethod {
  const a = exp.analysis;
  const sides: Sides = a.test === 'two_sided' ? 'two-sided' : m.higherIsBetter ? 'greater' : 'less';
  const caps = [m.numerator, ...(m.denominator ? [m.denominator] : [])].map((c) => c.capping);
  return {
    test: m.kind === 'paired' ? 'paired-t' : m.kind === 'quantile' ? 'quantile-order-statistics' : 'welch-t',
    sides,
    sequential: a.sequential ? { tuning: a.sequentialTuning } : null,
    cuped: a.cupedLookbackSeconds !== null && m.kind !== 'paired' && m.kind !== 'quantile' ? { lookbackSeconds: a.cupedLookbackSeconds } : null,
    capping: caps.some((c) => c !== null) ? { numerator: caps[0], denominator: caps[1] ?? null } : null,
    prior: a.prior,
    correction: m.role === 'primary' ? 'none' : a.correction,
  };
}

function options(exp: ResolvedExperiment, method: MetricMethod, higherIsBetter: boolean): AnalysisOptions & { controlVariant: string } {
  return {
    higherIsBetter,
    alpha: exp.alpha,
    sides: method.sides,
    sequential: method.sequential ? { tuning: method.sequential.tuning } : false,
    cuped: method.cuped !== null,
    ...(method.prior ? { prior: { mean: method.prior.mean, variance: method.prior.stddev ** 2, proper: true } } : {}),
    controlVariant: exp.controlKey,
  };
}

function armsAndComparisons(exp: ResolvedExperiment, m: ResolvedMetric, l: MetricLayout, method: MetricMethod, rows: Map<string, Row>, quantileRows: Row[] = []) {
  // Quantile metrics: the arms come from the quantiles step's order statistics, not from the sums.
  const quantile = m.quantile ? quantileArms(exp, m, quantileRows) : null;
  const stats = quantile ? quantile.stats : exp.variants.map((v) => ({ variant: v.key, stats: armStats(m, l, rows.get(v.key)) }));
  const arms: ArmResult[] = stats.map(({ variant, stats: s }) => {
    const summary = m.kind === 'paired' ? pairedSummary(s) : summarizeArm(s);
    return { variant, n: s.n, sum: s.y.sum, sumSquares: s.y.sumSquares, mean: summary.mean, variance: summary.variance, stats: s };
  });
  let paired: MetricResult['paired'] = null;
  if (m.kind === 'paired') {
    // Each unit carries both outcomes: the test is on the per-unit differences, within each arm
    // (always valid when the spec is sequential); the comparisons below compare those differences between arms.
    paired = stats.map(({ variant, stats: s }) => ({
      variant,
      difference: pairedTTest({ n: s.n, sumDiff: s.y.sum, sumDiffSquares: s.y.sumSquares }, { alpha: exp.alpha, sides: method.sides, sequential: options(exp, method, m.higherIsBetter).sequential }),
    }));
  }
  const compared = compareVariants(stats, options(exp, method, m.higherIsBetter));
  // The same comparison without CUPED shows what the adjustment bought.
  const plain = method.cuped ? compareVariants(stats, { ...options(exp, method, m.higherIsBetter), cuped: false }) : null;
  const all: ComparisonResult[] = compared.comparisons.map((c, i) => {
    const u = plain?.comparisons[i].relative;
    return {
      variant: c.variant,
      absolute: c.absolute,
      relative: c.relative,
      cuped: c.cuped,
      unadjusted: c.cuped && u ? { relative: u, ciNarrowing: narrowing(c.relative.ci, u.ci) } : null,
      bayesian: c.bayesian.relative,
    };
  });
  const comparisons = quantile ? refuseSmallQuantileArms(quantile.result, exp.controlKey, all) : all;
  return { arms, comparisons, paired, ...(quantile ? { quantile: quantile.result } : {}) };
}

/** 1 - adjusted width / unadjusted width, for finite two-sided intervals. */
function narrowing(adjusted: EffectEstimate['ci'], unadjusted: EffectEstimate['ci']): number | null {
  const width = (ci: EffectEstimate['ci']) => (ci[0] === null || ci[1] === null ? null : ci[1] - ci[0]);
  const a = width(adjusted);
  const u = width(unadjusted);
  return a === null || u === null || u <= 0 ? null : 1 - a / u;
}

function pairedSummary(s: ArmSufficientStats): { mean: number; variance: number } {
  if (s.n === 0) return { mean: 0, variance: 0 };
  const mean = s.y.sum / s.n;
  return { mean, variance: s.n > 1 ? (s.y.sumSquares - (s.y.sum * s.y.sum) / s.n) / (s.n - 1) : 0 };
}

interface FamilyMember {
  estimate: EffectEstimate;
  sides: Sides;
  method: MetricMethod['correction'];
  sequential: MetricMethod['sequential'];
  /** Units in the two compared arms (the sequential bound's sample size). */
  totalUnits: number;
}

/** Adds adjusted p-values and intervals to each family of relative lifts, in place. */
function correct(family: FamilyMember[], alpha: number): void {
  if (family.length === 0 || family[0].method === 'none') return;
  const estimates = family.map((f) => f.estimate);
  family.forEach((f, i) => {
    // Sequential intervals are recomputed at the adjusted level by their own bound (see correctFamily).
    const at = f.sequential ? (j: number, level: number) => intervalAtLevel(family[j].estimate, family[j].totalUnits, level, { sides: family[j].sides, sequential: { tuning: family[j].sequential!.tuning } }) : undefined;
    const c = correctFamily(estimates, CORRECTION[f.method], alpha, f.sides, at)[i];
    Object.assign(f.estimate, { pValueAdjusted: c.pValueAdjusted, ciAdjusted: c.ciAdjusted });
  });
}

/**
 * Metrics-step rows -> per-metric results: overall and per dimension value, with corrections
 * across the non-primary metrics (per variant) and across dimension values (per metric and variant).
 */
export function metricResults(
  exp: ResolvedExperiment,
  layout: MetricLayout[],
  overall: Row[],
  byDimension: { dimension: string; value: string; rows: Row[] }[],
  /** The quantiles step's rows, when the spec has quantile metrics (not broken down by dimension). */
  quantileRows: Row[] = [],
): MetricResult[] {
  const index = (rows: Row[]) => new Map(rows.filter((r) => r.variant !== null).map((r) => [String(r.variant), r]));
  const results = exp.metrics.map((m) => {
    const l = layout.find((x) => x.name === m.name)!;
    const method = metricMethod(exp, m);
    const top = index(overall);
    const caps = Object.fromEntries(Object.entries(l.caps).map(([q, alias]) => [q, numOrNull(overall.find((r) => r[alias] !== null && r[alias] !== undefined)?.[alias])]));
    return {
      name: m.name,
      description: m.description,
      kind: m.kind,
      role: m.role,
      higherIsBetter: m.higherIsBetter,
      maxRelativeHarm: m.maxRelativeHarm,
      maxAbsoluteHarm: m.maxAbsoluteHarm,
      label: m.label,
      method,
      caps,
      ...armsAndComparisons(exp, m, l, method, top, quantileRows),
      dimensions: (m.quantile ? [] : byDimension).map((d) => {
        const r = armsAndComparisons(exp, m, l, { ...method, correction: exp.analysis.correction }, index(d.rows));
        return { dimension: d.dimension, value: d.value, arms: r.arms, comparisons: r.comparisons };
      }),
    } satisfies MetricResult;
  });

  const units = (arms: ArmResult[], variant: string) => arms.find((a) => a.variant === variant)?.n ?? 0;
  const member = (r: MetricResult, arms: ArmResult[], c: ComparisonResult, method: MetricMethod['correction']): FamilyMember => ({
    estimate: c.relative,
    sides: r.method.sides,
    method,
    sequential: r.method.sequential,
    totalUnits: units(arms, exp.controlKey) + units(arms, c.variant),
  });
  for (const v of exp.variants.filter((x) => !x.isControl)) {
    const family = results
      .filter((r) => r.role !== 'primary')
      .flatMap((r) => r.comparisons.filter((c) => c.variant === v.key).map((c) => member(r, r.arms, c, r.method.correction)));
    correct(family, exp.alpha);
    for (const r of results) {
      const dims = r.dimensions.flatMap((d) => d.comparisons.filter((c) => c.variant === v.key).map((c) => member(r, d.arms, c, exp.analysis.correction)));
      correct(dims, exp.alpha);
    }
  }
  return results;
}
