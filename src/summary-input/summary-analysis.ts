import {
  compareVariants,
  correctFamily,
  intervalAtLevel,
  FLAT_PRIOR,
  quantileOrderRanks,
  sampleRatioMismatch,
  type BayesianEstimate,
  type Correction,
  type EffectEstimate,
  type GaussianPrior,
  type Sides,
} from '../stats/index.js';
import { SummaryInputError, type SummaryMetric } from './summary-rows.js';

export const ANALYZE_SCHEMA_VERSION = 1;

export interface AnalyzeOptions {
  alpha: number;
  sides: Sides;
  /** Tuning parameter when sequential, else null. */
  sequentialTuning: number | null;
  prior: GaussianPrior;
  correction: Correction;
  cuped: boolean;
  /** The metrics' better direction: chance to win and risk follow it. */
  higherIsBetter: boolean;
  /** Lower-is-better metrics: 'all', or metric names (a higher_is_better column also says it). */
  inverse?: 'all' | string[];
  /** Planned weights for the SRM check: by variant name, or by position in the file's order. */
  weights?: { byVariant: Record<string, number> } | { byPosition: number[] } | null;
  /** Quantile level of the file's quantile rows (e.g. 0.9), or null. */
  quantile?: number | null;
}

export type CorrectedEstimate = EffectEstimate & { pValueAdjusted: number; ciAdjusted: EffectEstimate['ci'] };

export interface AnalyzeComparison {
  variant: string;
  cuped: { theta: number; varianceReduction: number; controlMean: number; treatmentMean: number } | null;
  absolute: CorrectedEstimate;
  relative: CorrectedEstimate;
  bayesian: { absolute: BayesianEstimate; relative: BayesianEstimate };
}

export interface AnalyzeMetric {
  name: string;
  kind: SummaryMetric['kind'] | 'quantile';
  /** Lower-is-better metrics: chance to win is P(lift < 0) and the risks swap sides. */
  higherIsBetter: boolean;
  /** Quantile metrics: the level, and per arm the 1-based ranks of the order statistics expected in the file. */
  quantile?: { level: number; ranks: Array<{ variant: string; estimate: number; lower: number; upper: number }> };
  /** With planned weights: Pearson chi-square of units per arm (SRM), alert when p < 0.001. */
  srm?: { weights: Record<string, number>; chiSquare: number; pValue: number; alert: boolean };
  control: string;
  arms: Array<{ variant: string; units: number; mean: number; variance: number }>;
  comparisons: AnalyzeComparison[];
}

export interface AnalyzeResult {
  schemaVersion: number;
  file: string;
  options: Omit<AnalyzeOptions, 'sequentialTuning'> & { sequential: { tuning: number } | null };
  /** Size of the correction family: every treatment-vs-control comparison of every metric. */
  familySize: number;
  metrics: AnalyzeMetric[];
}

export const DEFAULT_ANALYZE_OPTIONS: AnalyzeOptions = { alpha: 0.05, sides: 'two-sided', sequentialTuning: null, prior: FLAT_PRIOR, correction: 'none', cuped: true, higherIsBetter: true };

/**
 * Every treatment against control for every metric, then the correction across the whole family
 * (all metrics and treatments), separately for absolute and relative lifts. Pure.
 */
export function analyzeSummary(file: string, metrics: SummaryMetric[], options: AnalyzeOptions): AnalyzeResult {
  checkQuantileOption(metrics, options.quantile ?? null);
  const per = metrics.map((m) => {
    const higherIsBetter = isHigherBetter(m, options.inverse, options.higherIsBetter);
    const r = compareVariants(m.arms, {
      controlVariant: m.control,
      alpha: options.alpha,
      sides: options.sides,
      sequential: options.sequentialTuning === null ? false : { tuning: options.sequentialTuning },
      prior: options.prior,
      cuped: options.cuped,
      higherIsBetter,
    });
    return { m, r };
  });
  const all = per.flatMap(({ r }) => r.comparisons);
  const seq = options.sequentialTuning === null ? null : { sides: options.sides, sequential: { tuning: options.sequentialTuning } };
  const correct = (pick: (c: (typeof all)[number]) => EffectEstimate) =>
    correctFamily(all.map(pick), options.correction, options.alpha, options.sides, seq ? (i, level) => intervalAtLevel(pick(all[i]), all[i].control.n + all[i].treatment.n, level, seq) : undefined);
  const absAdj = correct((c) => c.absolute);
  const relAdj = correct((c) => c.relative);
  let k = 0;
  const out: AnalyzeMetric[] = per.map(({ m, r }) => {
    const first = r.comparisons[0];
    const arms = [
      { variant: r.control, units: first.control.n, mean: first.control.mean, variance: first.control.variance },
      ...r.comparisons.map((c) => ({ variant: c.variant, units: c.treatment.n, mean: c.treatment.mean, variance: c.treatment.variance })),
    ];
    const higherIsBetter = isHigherBetter(m, options.inverse, options.higherIsBetter);
    const comparisons = r.comparisons.map((c) => {
      const i = k++;
      return {
        variant: c.variant,
        cuped: c.cuped,
        absolute: { ...c.absolute, ...absAdj[i] },
        relative: { ...c.relative, ...relAdj[i] },
        bayesian: c.bayesian,
      };
    });
    return {
      name: m.name,
      kind: m.quantile ? 'quantile' : m.kind,
      higherIsBetter,
      ...(m.quantile ? { quantile: { level: options.quantile!, ranks: arms.map((a) => ({ variant: a.variant, ...quantileOrderRanks(Math.max(1, a.units), options.quantile!) })) } } : {}),
      ...(options.weights ? { srm: srmFor(m, options.weights) } : {}),
      control: r.control,
      arms,
      comparisons,
    };
  });
  const { sequentialTuning, ...rest } = options;
  return {
    schemaVersion: ANALYZE_SCHEMA_VERSION,
    file,
    options: { ...rest, sequential: sequentialTuning === null ? null : { tuning: sequentialTuning } },
    familySize: all.length,
    metrics: out,
  };
}

function isHigherBetter(m: SummaryMetric, inverse: AnalyzeOptions['inverse'], all = true): boolean {
  if (!all || inverse === 'all' || inverse?.includes(m.name)) return false;
  return m.higherIsBetter ?? true;
}

function checkQuantileOption(metrics: SummaryMetric[], level: number | null): void {
  const q = metrics.filter((m) => m.quantile);
  if (q.length && level === null) throw new SummaryInputError(`metric '${q[0].name}' has quantile rows: give the quantile level with --quantile (e.g. 0.9)`);
  if (level !== null && q.length !== metrics.length) {
    const other = metrics.find((m) => !m.quantile)!;
    throw new SummaryInputError(`--quantile ${level}: metric '${other.name}' has no quantile, quantile_lower and quantile_upper columns`);
  }
}

/** SRM of one metric's units per arm against planned weights (alert at p < 0.001, as the run's check). */
function srmFor(m: SummaryMetric, weights: NonNullable<AnalyzeOptions['weights']>): NonNullable<AnalyzeMetric['srm']> {
  let byVariant: Record<string, number>;
  if ('byPosition' in weights) {
    if (weights.byPosition.length !== m.fileOrder.length) {
      throw new SummaryInputError(`--weights gives ${weights.byPosition.length} weights but metric '${m.name}' has ${m.fileOrder.length} arms (${m.fileOrder.join(', ')})`);
    }
    byVariant = Object.fromEntries(m.fileOrder.map((v, i) => [v, weights.byPosition[i]]));
  } else {
    const missing = m.fileOrder.filter((v) => weights.byVariant[v] === undefined);
    if (missing.length) throw new SummaryInputError(`--weights has no weight for variant ${missing.map((v) => `'${v}'`).join(', ')} of metric '${m.name}'`);
    byVariant = Object.fromEntries(m.fileOrder.map((v) => [v, weights.byVariant[v]]));
  }
  const units = m.fileOrder.map((v) => m.arms.find((a) => a.variant === v)!.stats.n);
  const r = sampleRatioMismatch(units, m.fileOrder.map((v) => byVariant[v]));
  return { weights: byVariant, chiSquare: r.chiSquare, pValue: r.pValue, alert: r.pValue < SRM_ALERT_P };
}

const SRM_ALERT_P = 0.001;
