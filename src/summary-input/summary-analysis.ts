import {
  compareVariants,
  correctFamily,
  intervalAtLevel,
  FLAT_PRIOR,
  type BayesianEstimate,
  type Correction,
  type EffectEstimate,
  type GaussianPrior,
  type Sides,
} from '../stats/index.js';
import type { SummaryMetric } from './summary-rows.js';

export const ANALYZE_SCHEMA_VERSION = 1;

export interface AnalyzeOptions {
  alpha: number;
  sides: Sides;
  /** Tuning parameter when sequential, else null. */
  sequentialTuning: number | null;
  prior: GaussianPrior;
  correction: Correction;
  cuped: boolean;
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
  kind: SummaryMetric['kind'];
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

export const DEFAULT_ANALYZE_OPTIONS: AnalyzeOptions = { alpha: 0.05, sides: 'two-sided', sequentialTuning: null, prior: FLAT_PRIOR, correction: 'none', cuped: true };

/**
 * Every treatment against control for every metric, then the correction across the whole family
 * (all metrics and treatments), separately for absolute and relative lifts. Pure.
 */
export function analyzeSummary(file: string, metrics: SummaryMetric[], options: AnalyzeOptions): AnalyzeResult {
  const per = metrics.map((m) => {
    const r = compareVariants(m.arms, {
      controlVariant: m.control,
      alpha: options.alpha,
      sides: options.sides,
      sequential: options.sequentialTuning === null ? false : { tuning: options.sequentialTuning },
      prior: options.prior,
      cuped: options.cuped,
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
    const comparisons = r.comparisons.map((c) => {
      const i = k++;
      return {
        variant: c.variant,
        cuped: c.cuped,
        absolute: { ...c.absolute, ...absAdj[i] },
        relative: { ...c.relative, ...relAdj[i] },
        bayesian: { absolute: c.bayesian.absolute, relative: c.bayesian.relative },
      };
    });
    return { name: m.name, kind: m.kind, control: r.control, arms, comparisons };
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
