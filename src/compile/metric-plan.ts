import type { Capping, MetricComponent, ResolvedExperiment, ResolvedSource } from '../spec/types.js';
import { addSeconds, minIso } from '../util/instants.js';
import type { SqlFragment } from './sql-fragment.js';

/**
 * Which per-unit quantities the metrics step computes, and which per-variant sums it returns.
 *
 * Every metric becomes up to four per-unit columns (the names follow the conventions file):
 *   y: the post-exposure value, or a ratio's numerator;  d: a ratio's denominator;
 *   x: y measured in the pre-exposure window (CUPED);     e: d measured there.
 * The query returns, per variant, the sums and sums of squares of each, and the sums of the
 * cross-products the delta method and the regression adjustment need. Nothing per unit leaves.
 */

export type Quantity = 'y' | 'd' | 'x' | 'e';
export type Cross = 'yd' | 'yx' | 'ye' | 'dx' | 'de' | 'xe';

export interface MetricLayout {
  name: string;
  /** Paired metrics count only units that have rows; otherwise every analysed unit counts. */
  nAlias: string | null;
  sums: Partial<Record<Quantity, { sum: string; sumSquares: string }>>;
  cross: Partial<Record<Cross, string>>;
  /** The cap applied to each capped quantity, as returned by the query. */
  caps: Partial<Record<Quantity, string>>;
}

export interface UnitColumn {
  column: string;
  kind: MetricComponent['kind'];
  sourceAlias: string;
  sourceTimestamp: string;
  /** Post-exposure window (seconds after first exposure). */
  delaySeconds: number;
  windowEndSeconds: number | null;
  /** Pre-exposure window: minus the lookback, in seconds; null for post-exposure columns. */
  preSeconds: number | null;
  /** Flags for the templates: a number such as 0 (or -0) would read as false there. */
  isPre: boolean;
  hasWindowEnd: boolean;
  filter: SqlFragment | null;
  value: SqlFragment | null;
  baseline: SqlFragment | null;
  /** Units without rows count as 0, except for paired metrics (no pair, no unit). */
  coalesce: boolean;
}

export interface CapColumn {
  column: string;
  /** The column after capping; the sums read this one. */
  cappedColumn: string;
  capAlias: string;
  percentile: number | null;
  fixed: number | null;
  ignoreZeros: boolean;
}

export interface Aggregate {
  alias: string;
  left: string;
  right: string | null;
  count: boolean;
}

export interface SourceScan {
  /** The model's source name. */
  sourceName: string;
  cte: string;
  alias: string;
  table: string;
  unitColumn: string;
  timestamp: string;
  scanStart: string;
  scanEnd: string;
  metrics: UnitColumn[];
}

export interface MetricPlan {
  metricSources: SourceScan[];
  columns: { column: string; coalesce: boolean; source: string }[];
  caps: CapColumn[];
  aggregates: Aggregate[];
  layout: MetricLayout[];
}


const CUPED_KINDS = new Set(['proportion', 'mean', 'count', 'ratio']);

export function planMetrics(
  exp: ResolvedExperiment,
  bounds: { start: string; exposureEnd: string; asOf: string },
  expression: (e: NonNullable<MetricComponent['value']>, alias: string) => SqlFragment,
): MetricPlan {
  const lookback = exp.analysis.cupedLookbackSeconds;
  interface Wanted {
    quantity: Quantity;
    component: MetricComponent;
    pre: boolean;
    column: string;
  }
  const wanted: { metric: ResolvedExperiment['metrics'][number]; quantities: Wanted[]; index: number }[] = exp.metrics.map((m, i) => {
    const index = i + 1;
    const cuped = lookback !== null && CUPED_KINDS.has(m.kind);
    const q: Wanted[] = [{ quantity: 'y', component: m.numerator, pre: false, column: `m_${index}_y` }];
    if (m.denominator) q.push({ quantity: 'd', component: m.denominator, pre: false, column: `m_${index}_d` });
    if (cuped) q.push({ quantity: 'x', component: m.numerator, pre: true, column: `m_${index}_x` });
    if (cuped && m.denominator) q.push({ quantity: 'e', component: m.denominator, pre: true, column: `m_${index}_e` });
    return { metric: m, quantities: q, index };
  });

  // One scan per source: every quantity read from the same table shares it.
  const bySource = new Map<string, { source: ResolvedSource; items: Wanted[] }>();
  for (const w of wanted.flatMap((x) => x.quantities)) {
    const entry = bySource.get(w.component.source.name) ?? { source: w.component.source, items: [] };
    entry.items.push(w);
    bySource.set(w.component.source.name, entry);
  }
  const metricSources: SourceScan[] = [...bySource.values()].map(({ source, items }, i) => {
    const alias = `s${i + 1}`;
    const post = items.filter((w) => !w.pre);
    // The scan ends where the last window can end, never after as-of, and starts a lookback
    // before the experiment when a pre-exposure column needs it: a warehouse can prune partitions.
    const open = post.some((w) => w.component.windowDurationSeconds === null);
    const longest = Math.max(0, ...post.map((w) => w.component.windowDelaySeconds + (w.component.windowDurationSeconds ?? 0)));
    const scanEnd = open || post.length === 0 ? bounds.asOf : minIso(addSeconds(bounds.exposureEnd, longest), bounds.asOf);
    const scanStart = items.some((w) => w.pre) && lookback !== null ? addSeconds(bounds.start, -lookback) : bounds.start;
    return {
      sourceName: source.name,
      cte: `source_${i + 1}_units`,
      alias,
      table: source.table,
      unitColumn: source.unitColumn,
      // Resolve refuses a metric over a source without a timestamp.
      timestamp: source.timestamp!,
      scanStart,
      scanEnd,
      metrics: items.map((w) => {
        const c = w.component;
        // Pairs keyed by id (the pairs step): per unit, the value alone, summed like a mean over units with rows.
        const byPairId = c.kind === 'paired' && Boolean(source.pairKey);
        return {
          column: w.column,
          kind: byPairId ? 'mean' : c.kind,
          sourceAlias: alias,
          sourceTimestamp: source.timestamp!,
          delaySeconds: c.windowDelaySeconds,
          windowEndSeconds: c.windowDurationSeconds === null ? null : c.windowDelaySeconds + c.windowDurationSeconds,
          preSeconds: w.pre ? -lookback! : null,
          isPre: w.pre,
          hasWindowEnd: c.windowDurationSeconds !== null,
          filter: c.filter ? expression(c.filter, alias) : null,
          value: c.value ? expression(c.value, alias) : null,
          baseline: c.baseline && !byPairId ? expression(c.baseline, alias) : null,
          coalesce: c.kind !== 'paired',
        };
      }),
    };
  });

  const caps: CapColumn[] = [];
  const aggregates: Aggregate[] = [];
  const layout: MetricLayout[] = wanted.map(({ metric, quantities, index }) => {
    const col = (q: Quantity) => quantities.find((w) => w.quantity === q)?.column;
    const l: MetricLayout = { name: metric.name, nAlias: null, sums: {}, cross: {}, caps: {} };
    if (metric.kind === 'paired') {
      l.nAlias = `m_${index}_n`;
      aggregates.push({ alias: l.nAlias, left: col('y')!, right: null, count: true });
    }
    const analysed = new Map<Quantity, string>();
    for (const w of quantities) {
      const cap = w.component.capping;
      let column = w.column;
      if (cap) {
        const capAlias = `${w.column}_cap`;
        column = `${w.column}_capped`;
        caps.push(capColumn(w.column, column, capAlias, cap));
        l.caps[w.quantity] = capAlias;
      }
      analysed.set(w.quantity, column);
      const s = { sum: `${w.column}_sum`, sumSquares: `${w.column}_sum_squares` };
      aggregates.push({ alias: s.sum, left: column, right: null, count: false });
      aggregates.push({ alias: s.sumSquares, left: column, right: column, count: false });
      l.sums[w.quantity] = s;
    }
    for (const pair of ['yd', 'yx', 'ye', 'dx', 'de', 'xe'] as const) {
      const a = analysed.get(pair[0] as Quantity);
      const b = analysed.get(pair[1] as Quantity);
      if (!a || !b) continue;
      const alias = `m_${index}_${pair}_sum`;
      aggregates.push({ alias, left: a, right: b, count: false });
      l.cross[pair] = alias;
    }
    return l;
  });

  const columns = metricSources.flatMap((s) => s.metrics.map((m) => ({ column: m.column, coalesce: m.coalesce, source: s.cte })));
  return { metricSources, columns, caps, aggregates, layout };
}

function capColumn(column: string, cappedColumn: string, capAlias: string, cap: Capping): CapColumn {
  return cap.kind === 'value'
    ? { column, cappedColumn, capAlias, percentile: null, fixed: cap.value, ignoreZeros: false }
    : { column, cappedColumn, capAlias, percentile: cap.percentile, fixed: null, ignoreZeros: cap.ignoreZeros };
}
