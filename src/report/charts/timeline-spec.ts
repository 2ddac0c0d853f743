import type { TopLevelSpec } from 'vega-lite';
import type { Results, Timeline } from '../../run/results.js';
import { CHART_CONFIG, VARIANT_COLORS } from './chart-theme.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Days are numbered from the first day with exposures (day 1), so no time zone enters the chart. */
const dayNumbers = (t: Timeline) => new Map(t.days.map((d, i) => [d.day, i + 1]));

/** The primary metric's cumulative relative lift with its interval, one line per treatment. */
export function overTimeSpec(results: Results, t: Timeline, title: string, subtitle: string): TopLevelSpec {
  const n = dayNumbers(t);
  const finite = t.days.flatMap((d) => d.comparisons.filter((c) => c.ok).flatMap((c) => [c.lift, c.ci[0], c.ci[1]])).filter((x): x is number => x !== null && Number.isFinite(x));
  // A wide interval on day 1 would flatten the rest: clip the band to a window around the lifts.
  const lifts = t.days.flatMap((d) => d.comparisons.filter((c) => c.ok).map((c) => c.lift));
  const spread = Math.max(0.05, ...lifts.map(Math.abs)) * 3;
  const domain = [Math.max(Math.min(0, ...finite), -spread), Math.min(Math.max(0, ...finite), spread)];
  const clip = (v: number | null, fallback: number) => Math.min(domain[1], Math.max(domain[0], v ?? fallback));
  const values = t.days.flatMap((d) =>
    d.comparisons.filter((c) => c.ok).map((c) => ({ day: n.get(d.day), date: d.day, variant: c.variant, lift: c.lift, lo: clip(c.ci[0], domain[0]), hi: clip(c.ci[1], domain[1]) })),
  );
  const treatments = results.experiment.variants.filter((v) => !v.isControl).map((v) => v.key);
  const color = { field: 'variant', type: 'nominal' as const, title: 'variant', scale: { domain: treatments, range: VARIANT_COLORS.slice(1) } };
  const x = { field: 'day', type: 'quantitative' as const, title: 'day since start (UTC)', axis: { tickMinStep: 1, format: 'd' }, scale: { domain: [1, Math.max(1, t.days.length)], nice: false } };
  const y = { type: 'quantitative' as const, scale: { domain, nice: false, zero: false, clamp: true }, axis: { format: '+.0%', title: `cumulative relative lift` } };
  return {
    $schema: SCHEMA,
    title: { text: title, subtitle },
    width: 460,
    height: 200,
    config: CHART_CONFIG,
    data: { values },
    layer: [
      { mark: { type: 'area', opacity: 0.18 }, encoding: { x, y: { field: 'lo', ...y }, y2: { field: 'hi' }, color } },
      { mark: { type: 'line', strokeWidth: 2, point: { size: 18 } }, encoding: { x, y: { field: 'lift', ...y }, color } },
      { mark: { type: 'rule', color: '#8c959f', strokeDash: [2, 2] }, data: { values: [{ zero: 0 }] }, encoding: { y: { field: 'zero', ...y } } },
    ],
  } as TopLevelSpec;
}

/** Units first exposed per day and variant as bars; black ticks where the planned split puts them. */
export function exposuresPerDaySpec(results: Results, t: Timeline, title: string, subtitle: string): TopLevelSpec {
  const n = dayNumbers(t);
  const weights = new Map(results.experiment.variants.map((v) => [v.key, v.weight]));
  const keys = results.experiment.variants.map((v) => v.key);
  const values = t.days.flatMap((d) => {
    const total = d.variants.reduce((a, v) => a + v.newUnits, 0);
    return d.variants.map((v) => ({ day: n.get(d.day), variant: v.variant, units: v.newUnits, planned: total * (weights.get(v.variant) ?? 0) }));
  });
  const x = { field: 'day', type: 'ordinal' as const, title: 'day since start (UTC)', axis: { labelAngle: 0, values: t.days.map((_, i) => i + 1).filter((d) => d === 1 || d % 7 === 0) } };
  const xOffset = { field: 'variant', type: 'nominal' as const, sort: keys };
  const color = { field: 'variant', type: 'nominal' as const, title: 'variant', sort: keys, scale: { domain: keys, range: VARIANT_COLORS } };
  return {
    $schema: SCHEMA,
    title: { text: title, subtitle },
    width: 460,
    height: 180,
    config: CHART_CONFIG,
    data: { values },
    encoding: { x, xOffset },
    layer: [
      { mark: { type: 'bar' }, encoding: { y: { field: 'units', type: 'quantitative', title: 'units first exposed' }, color } },
      { mark: { type: 'tick', color: '#24292f', thickness: 1.5 }, encoding: { y: { field: 'planned', type: 'quantitative' } } },
    ],
  } as TopLevelSpec;
}
