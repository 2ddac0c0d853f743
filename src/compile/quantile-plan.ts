import type { ResolvedExperiment } from '../spec/types.js';
import { quantileOrderZ } from '../stats/index.js';
import type { MetricPlan, SourceScan, UnitColumn } from './metric-plan.js';

/** One quantile metric of the quantiles step, as results.json's layout records it. */
export interface QuantileMetricLayout {
  metric: string;
  /** Named so an incremental planner can see that order statistics do not merge across refreshes: they are recomputed over the state's per-unit values (src/state/state-plan.ts). */
  kind: 'quantile';
  /** 0.9 = p90. */
  level: number;
  /** unit: over per-unit values; event: over every matching event, variance clustered by unit. */
  levelOf: 'unit' | 'event';
  ignoreZeros: boolean;
  /** The metrics step's per-unit column (the uncapped value: quantile metrics take no capping). */
  column: string;
}

interface EventQuantileContext extends QuantileMetricLayout {
  table: string;
  unitColumn: string;
  timestamp: string;
  scanStart: string;
  scanEnd: string;
  /** The metric's per-unit column description: its window, filter and value, read per event here. */
  unit: UnitColumn;
}

/**
 * Which metrics the quantiles step orders, and the template context it needs (the z of the order-statistic
 * interval). Event-level metrics read their source again, event by event, with the scan bounds and window
 * of the metrics step's column for the same metric.
 */
export function quantileStepContext(exp: ResolvedExperiment, plan: MetricPlan) {
  const layout: QuantileMetricLayout[] = exp.metrics.flatMap((m, i) =>
    m.quantile ? [{ metric: m.name, kind: 'quantile' as const, level: m.quantile.level, levelOf: m.quantile.levelOf, ignoreZeros: m.quantile.ignoreZeros, column: `m_${i + 1}_y` }] : [],
  );
  const eventQuantiles: EventQuantileContext[] = layout
    .filter((l) => l.levelOf === 'event')
    .map((l) => {
      const scan = plan.metricSources.find((s) => s.metrics.some((c) => c.column === l.column)) as SourceScan;
      const unit = scan.metrics.find((c) => c.column === l.column)!;
      return { ...l, table: scan.table, unitColumn: scan.unitColumn, timestamp: scan.timestamp, scanStart: scan.scanStart, scanEnd: scan.scanEnd, unit };
    });
  return {
    layout,
    context: { unitQuantiles: layout.filter((l) => l.levelOf === 'unit'), eventQuantiles, bothQuantileLevels: eventQuantiles.length > 0 && eventQuantiles.length < layout.length, z: quantileOrderZ() },
  };
}
