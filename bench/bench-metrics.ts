import { MetricSchema } from '../src/spec/schemas.js';

/**
 * The bench spec's metrics, described once: the models YAML (exptrack's syntax) and the hand-written
 * lower-bound query are both generated from this list, so the two always compute the same things.
 * Adding a metric to the bench is one line in BENCH_METRICS.
 */
export interface BenchMetric {
  name: string;
  kind: 'proportion' | 'mean' | 'count' | 'ratio';
  /** event_name the metric counts (the numerator's, for a ratio). */
  event: string;
  /** Summed per unit for mean (and for a ratio's numerator); counted events otherwise. */
  value?: 'amount';
  /** Days after first exposure; open-ended (to as-of) when absent. */
  windowDays?: number;
  /** Ratio only: the denominator counts this event per unit. */
  denominatorEvent?: string;
  /** Per-unit values above this quantile (over all units) are capped at it. */
  capQuantile?: number;
  /** CUPED: the same value over this many days before first exposure is the covariate. */
  cupedDays?: number;
  higherIsBetter?: boolean;
}

export const BENCH_METRICS: BenchMetric[] = [
  { name: 'purchased', kind: 'proportion', event: 'purchase', windowDays: 7 },
  { name: 'revenue', kind: 'mean', event: 'purchase', value: 'amount', windowDays: 7 },
  { name: 'carts', kind: 'count', event: 'add_to_cart', windowDays: 14 },
  { name: 'page_views', kind: 'count', event: 'page_view', windowDays: 14 },
  { name: 'sessions', kind: 'proportion', event: 'session_start', windowDays: 14 },
  { name: 'checkout_errors', kind: 'count', event: 'checkout_error', windowDays: 14, higherIsBetter: false },
  // Newer metric features: each is kept only when this build's metric schema accepts it (see below).
  { name: 'revenue_capped', kind: 'mean', event: 'purchase', value: 'amount', windowDays: 7, capQuantile: 0.99 },
  { name: 'revenue_cuped', kind: 'mean', event: 'purchase', value: 'amount', windowDays: 7, cupedDays: 14 },
  { name: 'purchases_per_session', kind: 'ratio', event: 'purchase', denominatorEvent: 'session_start', windowDays: 14 },
];

const eventFilter = (e: string) => `event_name = '${e}'`;

/**
 * The models-file entry for a metric. The syntax of ratio, cap and cuped is this bench's best guess
 * at the spec language; when the schema does not accept it yet, the metric is left out (and the
 * runner says so), so only this function needs to change when the syntax lands.
 */
export function metricModel(m: BenchMetric): Record<string, unknown> {
  const model: Record<string, unknown> = {
    type: m.kind,
    source: 'events',
    filter: eventFilter(m.event),
  };
  if (m.value) model.value = m.value;
  if (m.windowDays !== undefined) model.window = { duration: `${m.windowDays}d` };
  if (m.kind === 'ratio') {
    model.value = `case when ${eventFilter(m.event)} then 1 else 0 end`;
    model.denominator = `case when ${eventFilter(m.denominatorEvent!)} then 1 else 0 end`;
    model.filter = `event_name in ('${m.event}', '${m.denominatorEvent}')`;
  }
  if (m.capQuantile !== undefined) model.cap = { percentile: m.capQuantile };
  if (m.cupedDays !== undefined) model.cuped = { lookback: `${m.cupedDays}d` };
  if (m.higherIsBetter === false) model.higher_is_better = false;
  return model;
}

/** The metrics this build of exptrack can express, and the ones it cannot (with the schema's reason). */
export function supportedMetrics(all: BenchMetric[] = BENCH_METRICS): { metrics: BenchMetric[]; skipped: { name: string; reason: string }[] } {
  const metrics: BenchMetric[] = [];
  const skipped: { name: string; reason: string }[] = [];
  for (const m of all) {
    const parsed = MetricSchema.safeParse(metricModel(m));
    if (parsed.success) metrics.push(m);
    else skipped.push({ name: m.name, reason: parsed.error.issues.map((i) => `${i.path.join('.') || '(metric)'}: ${i.message}`).join('; ') });
  }
  return { metrics, skipped };
}
