import type { CompiledExperiment } from '../compile/compile-experiment.js';
import type { ResolvedExperiment } from '../spec/types.js';
import type { Cell, Row } from '../warehouse/types.js';
import { metricResults } from './analyze-metrics.js';
import type { Timeline } from './results.js';

const num = (c: Cell | undefined): number => (c === null || c === undefined ? 0 : Number(c));
// Warehouses return a DATE as '2026-10-04' or as midnight UTC; the day is the first ten characters either way.
const dayOf = (c: Cell | undefined): string => String(c).slice(0, 10);

/**
 * The daily step's running totals -> the primary metric's lift as it stood for the units first exposed
 * up to each day, with the same method (CUPED, sequential, sides) as the final readout. Pure.
 */
export function primaryTimeline(exp: ResolvedExperiment, compiled: CompiledExperiment, rows: Row[] | undefined): Timeline | null {
  const primary = exp.metrics.find((m) => m.role === 'primary');
  // Quantile metrics: the daily step has sums, not order statistics, so there is no series for them.
  if (!rows || rows.length === 0 || !primary || primary.kind === 'paired' || primary.kind === 'quantile') return null;
  const only = { ...exp, metrics: [primary] };
  const days = [...new Set(rows.map((r) => dayOf(r.exposure_day)))].sort();
  // A variant with no exposure on a day keeps its running totals from the day before.
  const last = new Map<string, Row>();
  const byDay = new Map<string, Row[]>();
  for (const r of rows) byDay.set(dayOf(r.exposure_day), [...(byDay.get(dayOf(r.exposure_day)) ?? []), r]);
  return {
    metric: primary.name,
    days: days.map((day) => {
      const today = new Map((byDay.get(day) ?? []).map((r) => [String(r.variant), r]));
      for (const [v, r] of today) last.set(v, r);
      const current = exp.variants.map((v) => last.get(v.key)).filter((r): r is Row => r !== undefined);
      const m = metricResults(only, compiled.layout.metrics, current, [])[0];
      return {
        day,
        variants: exp.variants.map((v) => ({ variant: v.key, newUnits: num(today.get(v.key)?.day_units), units: num(last.get(v.key)?.units) })),
        comparisons: m.comparisons.map((c) => ({ variant: c.variant, ok: c.relative.ok, lift: c.relative.lift, ci: c.relative.ci })),
      };
    }),
  };
}
