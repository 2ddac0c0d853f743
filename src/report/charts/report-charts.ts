import type { TopLevelSpec } from 'vega-lite';
import type { Results } from '../../run/results.js';
import { count, pct, signedPct } from '../../util/format.js';
import { forestSpec, VERDICT_LABEL, verdictOf, type ForestRow } from './forest-spec.js';
import { renderChartSvg } from './render-chart-svg.js';
import { exposuresPerDaySpec, overTimeSpec } from './timeline-spec.js';

/** A chart of the package: where it goes, what it says in words, and the spec it is drawn from. */
export interface ReportChart {
  id: 'lift' | 'over-time' | 'exposures-per-day' | 'dimensions';
  file: string;
  title: string;
  description: string;
  spec: TopLevelSpec;
}

export const CHARTS_DIR = 'charts';

const interval = (ci: [number | null, number | null]) => `${ci[0] === null ? '−∞' : signedPct(ci[0])} to ${ci[1] === null ? '+∞' : signedPct(ci[1])}`;
const confidence = (alpha: number) => `${Number(((1 - alpha) * 100).toFixed(2))}%`;

function describeRows(rows: ForestRow[]): string {
  return rows.map((r) => `${r.row}: ${signedPct(r.lift)} (${interval(r.ci)}), ${VERDICT_LABEL[verdictOf(r)]}${r.threshold === null ? '' : `, guardrail threshold ${signedPct(r.threshold)}`}`).join('; ');
}

/**
 * Every chart a package carries, as pure functions of the results: same results, same specs, same
 * bytes. A chart whose data is missing (no estimable lift, no dimensions, no daily series) is left out.
 */
export function reportCharts(results: Results): ReportChart[] {
  const charts: ReportChart[] = [];
  const conf = confidence(results.experiment.alpha);
  const many = results.experiment.variants.length > 2;
  const seq = results.experiment.analysis.sequential ? ' always-valid' : '';
  const rows: ForestRow[] = results.metrics.flatMap((m) =>
    m.comparisons
      .filter((c) => c.relative.ok)
      .map((c) => ({
        row: many ? `${m.label} · ${c.variant}` : m.label,
        lift: c.relative.lift,
        ci: c.relative.ci,
        higherIsBetter: m.higherIsBetter,
        threshold: m.role === 'guardrail' && m.maxRelativeHarm !== null ? (m.higherIsBetter ? -m.maxRelativeHarm : m.maxRelativeHarm) : null,
      })),
  );
  if (rows.length) {
    const title = 'Relative lift by metric';
    charts.push({
      id: 'lift',
      file: `${CHARTS_DIR}/lift.svg`,
      title,
      description: `Relative lift of each metric against control ${results.experiment.control} with its ${conf}${seq} interval; green is better and red worse in each metric's own direction. ${describeRows(rows)}.`,
      spec: forestSpec(rows, title, `${conf}${seq} intervals; dashed ticks: guardrail thresholds`),
    });
  }
  const t = results.timeline;
  const primary = results.metrics.find((m) => m.role === 'primary');
  if (t && t.days.length && primary) {
    const last = t.days[t.days.length - 1];
    const title = `${primary.label}: cumulative lift by day`;
    charts.push({
      id: 'over-time',
      file: `${CHARTS_DIR}/over-time.svg`,
      title,
      description: `Relative lift of ${primary.label} over the units first exposed up to each day, with its ${conf}${seq} interval, for ${t.days.length} days. On the last day (${last.day}): ${last.comparisons.map((c) => `${c.variant} ${signedPct(c.lift)} (${interval(c.ci)})`).join('; ')}.`,
      spec: overTimeSpec(results, t, title, `${conf}${seq} interval, units first exposed up to each day`),
    });
    const planned = results.experiment.variants.map((v) => `${v.key} ${pct(v.weight)}`).join(', ');
    const etitle = 'Units first exposed per day';
    charts.push({
      id: 'exposures-per-day',
      file: `${CHARTS_DIR}/exposures-per-day.svg`,
      title: etitle,
      description: `Units first exposed each day per variant, with ticks at the planned split (${planned}); bars far from their ticks suggest a sample ratio mismatch. Totals: ${last.variants.map((v) => `${v.variant} ${count(v.units)}`).join(', ')}.`,
      spec: exposuresPerDaySpec(results, t, etitle, `bars: observed; ticks: planned split (${planned})`),
    });
  }
  if (primary && primary.dimensions.length) {
    const drows: ForestRow[] = primary.dimensions.flatMap((d) =>
      d.comparisons
        .filter((c) => c.relative.ok)
        .map((c) => ({ row: `${d.dimension}: ${d.value}${many ? ` · ${c.variant}` : ''}`, lift: c.relative.lift, ci: c.relative.ci, higherIsBetter: primary.higherIsBetter, threshold: null })),
    );
    if (drows.length) {
      const title = `${primary.label} by dimension`;
      charts.push({
        id: 'dimensions',
        file: `${CHARTS_DIR}/dimensions.svg`,
        title,
        description: `Relative lift of ${primary.label} within each dimension value, uncorrected ${conf}${seq} intervals (descriptive). ${describeRows(drows)}.`,
        spec: forestSpec(drows, title, `${conf}${seq} intervals, not corrected for the number of values`),
      });
    }
  }
  return charts;
}

/** Package path -> SVG text, for every chart of the results. */
export async function renderReportCharts(results: Results): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const c of reportCharts(results)) out.set(c.file, await renderChartSvg(c.spec, c.title, c.description));
  return out;
}
