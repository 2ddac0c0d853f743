import { mannWhitney, type HodgesLehmannBounds, type MannWhitneyResult } from '../stats/index.js';
import type { ResolvedExperiment } from '../spec/types.js';
import type { Cell, Row } from '../warehouse/types.js';
import type { MetricResult } from './results.js';

export interface RankTestResult extends MannWhitneyResult {
  variant: string;
  nControl: number;
  nTreatment: number;
  /** Bounds on the Hodges-Lehmann shift (treatment - control) from the shift-bins step; null without units. */
  hodgesLehmann?: HodgesLehmannBounds | null;
}

const num = (c: Cell | undefined): number => (c === null || c === undefined ? 0 : Number(c));

/**
 * Ranks-step rows -> Mann-Whitney per metric and treatment, added to the metric results in place.
 * Each row is one arm of one (metric, treatment) ranking; its rank sum is the low ranks plus half the
 * excess of each tied unit ((t - 1) / 2 per unit), so every number the warehouse returns is an integer.
 */
export function addRankTests(exp: ResolvedExperiment, metrics: MetricResult[], rows: Row[]): void {
  for (const name of exp.analysis.mannWhitney ?? []) {
    const m = metrics.find((x) => x.name === name);
    if (!m) continue;
    m.mannWhitney = exp.variants
      .filter((v) => !v.isControl)
      .map((v) => {
        const arm = (variant: string) => rows.find((r) => r.metric === name && r.treatment === v.key && r.variant === variant);
        const c = arm(exp.controlKey);
        const t = arm(v.key);
        const rankSum = num(t?.low_rank_sum) + num(t?.tie_rank_excess) / 2;
        const r = mannWhitney({ nControl: num(c?.units), nTreatment: num(t?.units), rankSumTreatment: rankSum, tieTerm: num(c?.tie_term) + num(t?.tie_term) }, m.method.sides);
        return { variant: v.key, nControl: num(c?.units), nTreatment: num(t?.units), ...r };
      });
  }
}
