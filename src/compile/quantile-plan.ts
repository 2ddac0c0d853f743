import type { ResolvedExperiment } from '../spec/types.js';
import { quantileOrderZ } from '../stats/index.js';

/** One quantile metric of the quantiles step, as results.json's layout records it. */
export interface QuantileMetricLayout {
  metric: string;
  /** Named so an incremental planner can see that order statistics do not merge across refreshes: recompute in full. */
  kind: 'quantile';
  /** 0.9 = p90. */
  level: number;
  /** Unit-level only (event level is refused when the models load). */
  levelOf: 'unit';
  ignoreZeros: boolean;
  /** The metrics step's per-unit column (the uncapped value: quantile metrics take no capping). */
  column: string;
}

/** Which metrics the quantiles step orders, and the template context it needs (the z of the order-statistic interval). */
export function quantileStepContext(exp: ResolvedExperiment): { layout: QuantileMetricLayout[]; context: { quantileMetrics: QuantileMetricLayout[]; z: number } } {
  const layout: QuantileMetricLayout[] = exp.metrics.flatMap((m, i) =>
    m.quantile ? [{ metric: m.name, kind: 'quantile' as const, level: m.quantile.level, levelOf: 'unit' as const, ignoreZeros: m.quantile.ignoreZeros, column: `m_${i + 1}_y` }] : [],
  );
  return { layout, context: { quantileMetrics: layout, z: quantileOrderZ() } };
}
