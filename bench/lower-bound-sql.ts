import { BENCH_EXPERIMENT, BENCH_START } from './bench-data-sql.js';
import { BENCH_END, EMPLOYEE_FILTER } from './bench-project.js';
import type { BenchMetric } from './bench-metrics.js';

/**
 * The hand-written lower bound: one query that reads `exposures` once and `events` once and returns
 * what the metrics' statistics need: units per variant (multiply-exposed units as variant NULL, for the
 * SRM and multiple-exposure checks) and per-variant and per-dimension sums and sums of squares of every
 * metric. The latency check's MAX(event_at) is left out: it is a separate, cheap scan in the pipeline,
 * and folding it into the per-unit aggregate here costs more than it saves.
 */

const ts = (iso: string) => `TIMESTAMP '${iso.replace('T', ' ').replace('Z', '')}'`;
const DAY = 86_400;

function inWindow(m: BenchMetric): string {
  const end = m.windowDays === undefined ? '' : ` AND ev.event_at < x.first_exposed_at + to_seconds(${m.windowDays * DAY})`;
  return `ev.event_at >= x.first_exposed_at${end}`;
}

/** Per-unit value columns for one metric (plus its covariate or denominator). */
function unitColumns(m: BenchMetric): string[] {
  const match = `ev.event_name = '${m.event}'`;
  const cols: string[] = [];
  if (m.kind === 'proportion') cols.push(`MAX(CASE WHEN ${inWindow(m)} AND ${match} THEN 1 ELSE 0 END) AS ${m.name}`);
  if (m.kind === 'count' || m.kind === 'ratio') cols.push(`SUM(CASE WHEN ${inWindow(m)} AND ${match} THEN 1 ELSE 0 END) AS ${m.name}`);
  if (m.kind === 'mean') cols.push(`COALESCE(SUM(CASE WHEN ${inWindow(m)} AND ${match} THEN ev.${m.value} END), 0) AS ${m.name}`);
  if (m.kind === 'ratio') {
    cols.push(`SUM(CASE WHEN ${inWindow(m)} AND ev.event_name = '${m.denominatorEvent}' THEN 1 ELSE 0 END) AS ${m.name}_den`);
  }
  if (m.cupedDays !== undefined) {
    const pre = `ev.event_at < x.first_exposed_at AND ev.event_at >= x.first_exposed_at - to_seconds(${m.cupedDays * DAY})`;
    const v = m.value ? `ev.${m.value}` : '1';
    cols.push(`COALESCE(SUM(CASE WHEN ${pre} AND ${match} THEN ${v} END), 0) AS ${m.name}_pre`);
  }
  return cols;
}

/** Per-variant sums over units for one metric: the sufficient statistics of its test. */
function sums(m: BenchMetric): string[] {
  const v = m.capQuantile === undefined ? `u.${m.name}` : `LEAST(u.${m.name}, caps.${m.name}_cap)`;
  const out = [`SUM(${v}) AS ${m.name}_sum`, `SUM(${v} * ${v}) AS ${m.name}_sum_squares`];
  if (m.kind === 'ratio') {
    out.push(`SUM(u.${m.name}_den) AS ${m.name}_den_sum`, `SUM(u.${m.name}_den * u.${m.name}_den) AS ${m.name}_den_sum_squares`, `SUM(${v} * u.${m.name}_den) AS ${m.name}_cross_sum`);
  }
  if (m.cupedDays !== undefined) {
    out.push(`SUM(u.${m.name}_pre) AS ${m.name}_pre_sum`, `SUM(u.${m.name}_pre * u.${m.name}_pre) AS ${m.name}_pre_sum_squares`, `SUM(${v} * u.${m.name}_pre) AS ${m.name}_cross_sum`);
  }
  return out;
}

export function lowerBoundSql(metrics: BenchMetric[], asOf: string): string {
  const lookback = Math.max(0, ...metrics.map((m) => m.cupedDays ?? 0));
  const scanStart = new Date(Date.parse(BENCH_START) - lookback * DAY * 1000).toISOString();
  const capped = metrics.filter((m) => m.capQuantile !== undefined);
  const caps = capped.length
    ? `caps AS (SELECT ${capped.map((m) => `quantile_cont(${m.name}, ${m.capQuantile}) AS ${m.name}_cap`).join(', ')} FROM unit_values WHERE variant IS NOT NULL),`
    : 'caps AS (SELECT 1 AS none),';
  return `-- bench lower bound: each table read once
WITH x AS (
  SELECT user_id, MIN(exposed_at) AS first_exposed_at, COUNT(DISTINCT variant) AS variant_count, MIN(variant) AS variant,
    arg_min(country, exposed_at) AS country, arg_min(platform, exposed_at) AS platform, bool_or(${EMPLOYEE_FILTER}) AS excluded
  FROM main.exposures
  WHERE experiment_key = '${BENCH_EXPERIMENT}' AND exposed_at >= ${ts(BENCH_START)} AND exposed_at < ${ts(BENCH_END)}
  GROUP BY user_id
),
units AS (
  SELECT user_id, first_exposed_at, CASE WHEN variant_count = 1 THEN variant END AS variant, country, platform
  FROM x WHERE NOT excluded
),
per_unit AS (
  SELECT x.user_id, ${metrics.flatMap(unitColumns).join(',\n    ')}
  FROM main.events AS ev
  INNER JOIN units AS x ON x.user_id = ev.user_id
  WHERE ev.event_at >= ${ts(scanStart)} AND ev.event_at < ${ts(asOf)}
  GROUP BY x.user_id
),
unit_values AS (
  SELECT x.variant, x.country, x.platform, ${metrics
    .flatMap((m) => [m.name, ...(m.kind === 'ratio' ? [`${m.name}_den`] : []), ...(m.cupedDays !== undefined ? [`${m.name}_pre`] : [])])
    .map((c) => `COALESCE(p.${c}, 0) AS ${c}`)
    .join(', ')}
  FROM units AS x LEFT JOIN per_unit AS p ON p.user_id = x.user_id
),
${caps}
totals AS (
  SELECT u.variant, u.country, u.platform, GROUPING(u.country) AS country_grouping, GROUPING(u.platform) AS platform_grouping,
    COUNT(*) AS units, ${metrics.flatMap(sums).join(', ')}
  FROM unit_values AS u CROSS JOIN caps
  GROUP BY GROUPING SETS ((u.variant), (u.variant, u.country), (u.variant, u.platform))
)
SELECT * FROM totals ORDER BY variant, country, platform`;
}
