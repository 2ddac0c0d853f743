import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, DIRECTION_COLORS, THRESHOLD_COLOR } from './chart-theme.js';

/** One row of a forest plot: a lift with its interval (null end: unbounded, one-sided). */
export interface ForestRow {
  row: string;
  lift: number;
  ci: [number | null, number | null];
  higherIsBetter: boolean;
  /** Guardrails: the relative change at which the guardrail is breached. */
  threshold: number | null;
}

export type Verdict = keyof typeof DIRECTION_COLORS;

/** better / worse when the interval excludes 0 on that side of the metric's better direction. */
export function verdictOf(r: Pick<ForestRow, 'ci' | 'higherIsBetter'>): Verdict {
  const above = r.ci[0] !== null && r.ci[0] > 0;
  const below = r.ci[1] !== null && r.ci[1] < 0;
  if (!above && !below) return 'unclear';
  return above === r.higherIsBetter ? 'better' : 'worse';
}

export const VERDICT_LABEL: Record<Verdict, string> = { better: 'better', worse: 'worse', unclear: 'no clear difference' };

/** Relative lifts as points with interval whiskers, 0 marked, guardrail thresholds as dashed ticks. */
export function forestSpec(rows: ForestRow[], title: string, subtitle: string): TopLevelSpec {
  const finite = rows.flatMap((r) => [r.lift, r.ci[0], r.ci[1], r.threshold]).filter((x): x is number => x !== null && Number.isFinite(x));
  const lo = Math.min(0, ...finite);
  const hi = Math.max(0, ...finite);
  const pad = (hi - lo || 0.1) * 0.08;
  const domain = [lo - pad, hi + pad];
  const values = rows.map((r, i) => ({
    order: i,
    row: r.row,
    lift: r.lift,
    lo: r.ci[0] ?? domain[0],
    hi: r.ci[1] ?? domain[1],
    verdict: VERDICT_LABEL[verdictOf(r)],
    threshold: r.threshold,
  }));
  const y = { field: 'row', type: 'nominal' as const, sort: { field: 'order' }, title: null };
  const x = { type: 'quantitative' as const, scale: { domain, nice: false, zero: false }, axis: { format: '+.0%', title: 'relative lift vs control' } };
  const color = {
    field: 'verdict',
    type: 'nominal' as const,
    title: null,
    scale: { domain: Object.values(VERDICT_LABEL), range: Object.keys(VERDICT_LABEL).map((k) => DIRECTION_COLORS[k as Verdict]) },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle },
    width: 420,
    height: { step: 26 },
    config: CHART_CONFIG,
    data: { values },
    layer: [
      { mark: { type: 'rule', color: '#8c959f', strokeDash: [2, 2] }, data: { values: [{ zero: 0 }] }, encoding: { x: { field: 'zero', ...x } } },
      { mark: { type: 'rule', strokeWidth: 2 }, encoding: { y, x: { field: 'lo', ...x }, x2: { field: 'hi' }, color } },
      { mark: { type: 'point', filled: true, size: 70 }, encoding: { y, x: { field: 'lift', ...x }, color } },
      {
        transform: [{ filter: 'datum.threshold !== null' }],
        mark: { type: 'tick', color: THRESHOLD_COLOR, thickness: 2, strokeDash: [3, 2] },
        encoding: { y, x: { field: 'threshold', ...x } },
      },
    ],
  } as TopLevelSpec;
}
