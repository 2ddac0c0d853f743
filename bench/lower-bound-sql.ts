import { BENCH_EXPERIMENT, BENCH_START } from './bench-data-sql.js';
import { BENCH_END, EMPLOYEE_FILTER } from './bench-project.js';
import { CUPED_KINDS, type BenchMetric } from './bench-metrics.js';

/**
 * The hand-written lower bound: one query that reads `exposures` once and `events` once and returns
 * what the metrics' statistics need: units per variant (multiply-exposed units as variant NULL, for the
 * SRM and multiple-exposure checks) and, per variant and per dimension value, the sums and the sums of
 * products of every metric's per-unit variables (value, CUPED pre-exposure value, ratio parts).
 * The latency check's MAX(event_at) is left out: it is a separate, cheap scan in the pipeline, and
 * folding it into the per-unit aggregate here costs more than it saves.
 */

const ts = (iso: string) => `TIMESTAMP '${iso.replace('T', ' ').replace('Z', '')}'`;
const DAY = 86_400;

function condition(m: BenchMetric, preDays: number | null): string {
  const match = `ev.event_name = '${m.event}'`;
  if (preDays !== null) return `ev.event_at >= x.first_exposed_at - to_seconds(${preDays * DAY}) AND ev.event_at < x.first_exposed_at AND ${match}`;
  const end = m.windowDays === undefined ? '' : ` AND ev.event_at < x.first_exposed_at + to_seconds(${m.windowDays * DAY})`;
  return `ev.event_at >= x.first_exposed_at${end} AND ${match}`;
}

function unitValue(m: BenchMetric, preDays: number | null): string {
  const c = condition(m, preDays);
  if (m.kind === 'proportion') return `MAX(CASE WHEN ${c} THEN 1 ELSE 0 END)`;
  if (m.kind === 'count') return `SUM(CASE WHEN ${c} THEN 1 ELSE 0 END)`;
  return `SUM(CASE WHEN ${c} THEN ev.${m.value} END)`;
}

const cuped = (m: BenchMetric, lookback: number | null) => lookback !== null && CUPED_KINDS.has(m.kind);

/** Per-unit columns computed from events: every non-ratio metric, and its pre-exposure value under CUPED. */
function unitColumns(metrics: BenchMetric[], lookback: number | null): string[] {
  return metrics
    .filter((m) => m.kind !== 'ratio')
    .flatMap((m) => [`${m.name}`, ...(cuped(m, lookback) ? [`${m.name}_pre`] : [])].map((col, i) => ({ col, pre: i === 1, m })))
    .map(({ col, pre, m }) => `${unitValue(m, pre ? lookback : null)} AS ${col}`);
}

/** The per-unit variables a metric's statistics are made of; the first is the one `_sum` refers to. */
function variables(m: BenchMetric, lookback: number | null, byName: Map<string, BenchMetric>): string[] {
  const value = (name: string) => {
    const base = byName.get(name)!;
    // Both branches DECIMAL(38, 6): a CASE of DECIMAL(38, 2) and DECIMAL(38, 6) would round the cap to 2 places.
    return base.capQuantile === undefined ? `u.${name}` : `CASE WHEN u.${name} > caps.${name}_cap THEN caps.${name}_cap ELSE CAST(u.${name} AS DECIMAL(38, 6)) END`;
  };
  if (m.kind === 'ratio') {
    const parts = [value(m.numerator!), value(m.denominator!)];
    return cuped(m, lookback) ? [...parts, `u.${m.numerator}_pre`, `u.${m.denominator}_pre`] : parts;
  }
  return cuped(m, lookback) ? [value(m.name), `u.${m.name}_pre`] : [value(m.name)];
}

function sums(m: BenchMetric, lookback: number | null, byName: Map<string, BenchMetric>): string[] {
  const vars = variables(m, lookback, byName);
  const out = [`SUM(${vars[0]}) AS ${m.name}_sum`, `SUM(${vars[0]} * ${vars[0]}) AS ${m.name}_sum_squares`];
  vars.forEach((a, i) => {
    if (i > 0) out.push(`SUM(${a}) AS ${m.name}_s${i}`);
    vars.forEach((b, j) => {
      if (j >= i && !(i === 0 && j === 0)) out.push(`SUM(${a} * ${b}) AS ${m.name}_p${i}${j}`);
    });
  });
  return out;
}

export function lowerBoundSql(metrics: BenchMetric[], asOf: string, lookback: number | null): string {
  const byName = new Map(metrics.map((m) => [m.name, m]));
  const scanStart = new Date(Date.parse(BENCH_START) - (lookback ?? 0) * DAY * 1000).toISOString();
  const capped = metrics.filter((m) => m.capQuantile !== undefined);
  const caps = capped.length
    ? // At the pipeline's exact-decimal scale, so the interpolated cap (and every capped sum) is the same number.
      `caps AS (SELECT ${capped.map((m) => `CAST(quantile_cont(CAST(${m.name} AS DECIMAL(38, 6)), ${m.capQuantile}) AS DECIMAL(38, 6)) AS ${m.name}_cap`).join(', ')} FROM unit_values WHERE variant IS NOT NULL),`
    : 'caps AS (SELECT 1 AS none),';
  const columns = unitColumns(metrics, lookback);
  const names = columns.map((c) => c.split(' AS ').pop()!);
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
  SELECT x.user_id,
    ${columns.join(',\n    ')}
  FROM main.events AS ev
  INNER JOIN units AS x ON x.user_id = ev.user_id
  WHERE ev.event_at >= ${ts(scanStart)} AND ev.event_at < ${ts(asOf)}
  GROUP BY x.user_id
),
unit_values AS (
  SELECT x.variant, x.country, x.platform, ${names.map((c) => `COALESCE(p.${c}, 0) AS ${c}`).join(', ')}
  FROM units AS x LEFT JOIN per_unit AS p ON p.user_id = x.user_id
),
${caps}
totals AS (
  SELECT u.variant, u.country, u.platform, GROUPING(u.country) AS country_grouping, GROUPING(u.platform) AS platform_grouping,
    COUNT(*) AS units, ${metrics.flatMap((m) => sums(m, lookback, byName)).join(', ')}
  FROM unit_values AS u CROSS JOIN caps
  GROUP BY GROUPING SETS ((u.variant), (u.variant, u.country), (u.variant, u.platform))
)
SELECT * FROM totals ORDER BY variant, country, platform`;
}
