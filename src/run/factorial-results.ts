import { factorialEffects, type FactorialEffect } from '../stats/index.js';
import type { ResolvedExperiment } from '../spec/types.js';
import type { MetricResult } from './results.js';

export interface FactorialResult {
  factors: { name: string; levels: string[] }[];
  cells: { variant: string; levels: Record<string, string> }[];
  /** Per metric (not paired): main effects and two-factor interactions, absolute, in the metric's units. */
  metrics: { name: string; role: MetricResult['role']; effects: FactorialEffect[]; interacts: boolean }[];
}

/** Factorial analysis of every metric from the arms' means and variances (the same sufficient statistics). */
export function factorialResults(exp: ResolvedExperiment, metrics: MetricResult[]): FactorialResult | null {
  const design = exp.factorial;
  if (!design) return null;
  const options = { alpha: exp.alpha, sequential: exp.analysis.sequential ? { tuning: exp.analysis.sequentialTuning } : false };
  return {
    factors: design.factors,
    cells: exp.variants.map((v) => ({ variant: v.key, levels: design.cells[v.key] })),
    metrics: metrics
      .filter((m) => m.kind !== 'paired')
      .map((m) => {
        const cells = m.arms.map((a) => ({ variant: a.variant, levels: design.cells[a.variant], n: a.n, mean: a.mean, variance: a.variance }));
        const effects = factorialEffects(design.factors, cells, options);
        return { name: m.name, role: m.role, effects, interacts: effects.some((e) => e.kind === 'interaction' && e.effect.ok && e.effect.pValue < exp.alpha) };
      }),
  };
}
