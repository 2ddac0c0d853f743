import { MetricSchema, SpecSchema } from '../src/spec/schemas.js';

/**
 * The bench spec's metrics, described once: the models YAML (exptrack's syntax) and the hand-written
 * lower-bound query are both generated from this list, so the two always compute the same things.
 * Adding a metric to the bench is one line in BENCH_METRICS.
 */
export interface BenchMetric {
  name: string;
  kind: 'proportion' | 'mean' | 'count' | 'ratio';
  /** event_name the metric matches (not for ratio). */
  event?: string;
  /** Summed per unit for mean; matching events are counted otherwise. */
  value?: 'amount';
  /** Days after first exposure; open-ended (to as-of) when absent. */
  windowDays?: number;
  /** Ratio only: names of two other bench metrics, summed over units and divided. */
  numerator?: string;
  denominator?: string;
  /** Per-unit values above this quantile (pooled over the analysed units) are capped at it. */
  capQuantile?: number;
  higherIsBetter?: boolean;
}

export const BENCH_METRICS: BenchMetric[] = [
  { name: 'purchased', kind: 'proportion', event: 'purchase', windowDays: 7 },
  { name: 'revenue', kind: 'mean', event: 'purchase', value: 'amount', windowDays: 7 },
  { name: 'carts', kind: 'count', event: 'add_to_cart', windowDays: 14 },
  { name: 'page_views', kind: 'count', event: 'page_view', windowDays: 14 },
  { name: 'purchases', kind: 'count', event: 'purchase', windowDays: 14 },
  { name: 'sessions', kind: 'count', event: 'session_start', windowDays: 14 },
  { name: 'checkout_errors', kind: 'count', event: 'checkout_error', windowDays: 14, higherIsBetter: false },
  // Newer metric features: each is kept only when this build's metric schema accepts it (see below).
  { name: 'revenue_capped', kind: 'mean', event: 'purchase', value: 'amount', windowDays: 7, capQuantile: 0.99 },
  { name: 'purchases_per_session', kind: 'ratio', numerator: 'purchases', denominator: 'sessions' },
];

/** CUPED pre-exposure window for every metric of the spec, when the spec language has it (null: off). */
export const CUPED_LOOKBACK_DAYS: number | null = 14;
/** Metric kinds exptrack adjusts with CUPED (a ratio through its numerator and denominator). */
export const CUPED_KINDS: ReadonlySet<BenchMetric['kind']> = new Set(['proportion', 'mean', 'count', 'ratio']);

/** The models-file entry for a metric, in exptrack's spec language. */
export function metricModel(m: BenchMetric): Record<string, unknown> {
  if (m.kind === 'ratio') return { type: 'ratio', numerator: m.numerator, denominator: m.denominator };
  const model: Record<string, unknown> = { type: m.kind, source: 'events', filter: `event_name = '${m.event}'` };
  if (m.value) model.value = m.value;
  if (m.windowDays !== undefined) model.window = { duration: `${m.windowDays}d` };
  if (m.capQuantile !== undefined) model.capping = { percentile: m.capQuantile };
  if (m.higherIsBetter === false) model.higher_is_better = false;
  return model;
}

/** The spec's `analysis` block that turns CUPED on, or undefined when this build has no such setting. */
export function cupedAnalysis(): Record<string, unknown> | undefined {
  const shape = SpecSchema.shape as Record<string, unknown>;
  return CUPED_LOOKBACK_DAYS !== null && 'analysis' in shape ? { cuped: { enabled: true, lookback: `${CUPED_LOOKBACK_DAYS}d` } } : undefined;
}

/** The metrics this build of exptrack can express, and the ones it cannot (with the schema's reason). */
export function supportedMetrics(all: BenchMetric[] = BENCH_METRICS): { metrics: BenchMetric[]; skipped: { name: string; reason: string }[] } {
  const metrics: BenchMetric[] = [];
  const skipped: { name: string; reason: string }[] = [];
  for (const m of all) {
    const parsed = MetricSchema.safeParse(metricModel(m));
    const missing = [m.numerator, m.denominator].filter((n) => n !== undefined && !metrics.some((x) => x.name === n));
    if (parsed.success && missing.length === 0) metrics.push(m);
    else if (!parsed.success) skipped.push({ name: m.name, reason: parsed.error.issues.map((i) => `${i.path.join('.') || '(metric)'}: ${i.message}`).join('; ') });
    else skipped.push({ name: m.name, reason: `needs ${missing.join(', ')}, listed before it` });
  }
  return { metrics, skipped };
}
