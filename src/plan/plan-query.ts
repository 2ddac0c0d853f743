import type { SqlRenderer } from '../compile/sql-templates.js';
import { expressionSql, tidySql } from '../compile/expression-sql.js';
import type { ResolvedExperiment } from '../spec/types.js';
import { mdeForDuration, powerForLift, sampleSizeForMde, type PowerInputs } from '../stats/index.js';
import { addSeconds } from '../util/instants.js';
import type { Dialect, Row } from '../warehouse/types.js';

const DAY = 86_400;

export interface PlanOptions {
  asOf: string;
  /** Pre-period length in days, ending at as-of. */
  lookbackDays: number;
  /** Planned duration in days. */
  days: number;
  /** Relative lift to size the experiment for (default: the spec's min_relative_lift, else 5%). */
  mde: number | null;
  /** Relative lift to report the power for (e.g. the lift you expect). */
  lift: number | null;
  power: number;
}

export interface PlanQuery {
  experiment: string;
  sql: string;
  periodStart: string;
  periodEnd: string;
  baselineEnd: string;
}

export class PlanError extends Error {}

/** The one query `exptrack plan` runs: baseline mean, variance and traffic of the primary metric. */
export function compilePlan(exp: ResolvedExperiment, opts: PlanOptions, dialect: Dialect, renderer: SqlRenderer): PlanQuery {
  const primary = exp.metrics.find((m) => m.role === 'primary')!;
  // A quantile's power needs the density at the quantile, which the pre-period sums do not give.
  if (primary.denominator || primary.kind === 'paired' || primary.kind === 'quantile') {
    throw new PlanError(`${exp.id}: plan supports proportion, mean and count primary metrics; '${primary.name}' is a ${primary.kind} metric`);
  }
  const c = primary.numerator;
  const periodEnd = new Date(opts.asOf).toISOString();
  const periodStart = addSeconds(periodEnd, -opts.lookbackDays * DAY);
  const windowEnd = c.windowDelaySeconds + (c.windowDurationSeconds ?? 0);
  const baselineEnd = addSeconds(periodEnd, -windowEnd);
  if (baselineEnd <= periodStart) {
    throw new PlanError(`${exp.id}: a ${opts.lookbackDays}-day pre-period is shorter than the primary metric's window; use a longer --lookback`);
  }
  const expr = (e: NonNullable<typeof c.value>) => expressionSql(e, 's', dialect);
  const context = {
    experiment: exp.id,
    periodStart,
    periodEnd,
    baselineEnd,
    table: c.source.table,
    unitColumn: c.source.unitColumn,
    timestamp: c.source.timestamp!,
    metric: {
      column: 'metric_value',
      kind: c.kind,
      sourceAlias: 's',
      sourceTimestamp: c.source.timestamp!,
      delaySeconds: c.windowDelaySeconds,
      windowEndSeconds: c.windowDurationSeconds === null ? null : windowEnd,
      preSeconds: null,
      isPre: false,
      hasWindowEnd: c.windowDurationSeconds !== null,
      filter: c.filter ? expr(c.filter) : null,
      value: c.value ? expr(c.value) : null,
      baseline: null,
    },
  };
  return { experiment: exp.id, sql: tidySql(renderer.render('plan', context)), periodStart, periodEnd, baselineEnd };
}

export interface PlanResult {
  experiment: string;
  metric: { name: string; kind: string };
  preperiod: { start: string; end: string; days: number; unitsSeen: number; unitsMeasured: number };
  baseline: { mean: number; variance: number };
  dailyUnits: number;
  weights: number[];
  alpha: number;
  power: number;
  sides: 'two-sided' | 'greater' | 'less';
  /** Units per arm and days to detect `mde`, fixed-horizon and sequential. */
  forMde: { relativeMde: number; fixed: ReturnType<typeof sampleSizeForMde>; sequential: ReturnType<typeof sampleSizeForMde> };
  /** The lift detectable in the planned duration. */
  forDuration: { days: number; fixed: ReturnType<typeof mdeForDuration>; sequential: ReturnType<typeof mdeForDuration> };
  /** Power for the given lift in the planned duration. */
  forLift: { relativeLift: number; fixed: number; sequential: number } | null;
}

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

/** Plan query rows -> sample size, runtime and MDE. Pure. */
export function analysePlan(exp: ResolvedExperiment, q: PlanQuery, rows: Row[], opts: PlanOptions): PlanResult {
  const primary = exp.metrics.find((m) => m.role === 'primary')!;
  const r = rows[0] ?? {};
  const n = num(r.units);
  const sum = num(r.value_sum);
  const sumSquares = num(r.value_sum_squares);
  if (n < 2) throw new PlanError(`${exp.id}: the pre-period ${q.periodStart} to ${q.periodEnd} has ${n} units with a complete window in ${primary.numerator.source.name}; nothing to plan from`);
  const mean = sum / n;
  const variance = primary.kind === 'proportion' ? mean * (1 - mean) : (sumSquares - (sum * sum) / n) / (n - 1);
  const dailyUnits = num(r.units_seen) / opts.lookbackDays;
  const sides = exp.analysis.test === 'two_sided' ? 'two-sided' : primary.higherIsBetter ? 'greater' : 'less';
  const base: PowerInputs = {
    baselineMean: mean,
    baselineVariance: variance,
    kind: primary.kind === 'proportion' ? 'proportion' : 'mean',
    dailyUnits,
    weights: exp.variants.map((v) => v.weight),
    alpha: exp.alpha,
    power: opts.power,
    sides,
  };
  const seq: PowerInputs = { ...base, sequential: true, sequentialTuning: exp.analysis.sequentialTuning };
  const mde = opts.mde ?? (exp.decision.minRelativeLift > 0 ? exp.decision.minRelativeLift : 0.05);
  return {
    experiment: exp.id,
    metric: { name: primary.name, kind: primary.kind },
    preperiod: { start: q.periodStart, end: q.periodEnd, days: opts.lookbackDays, unitsSeen: num(r.units_seen), unitsMeasured: n },
    baseline: { mean, variance },
    dailyUnits,
    weights: base.weights!,
    alpha: exp.alpha,
    power: opts.power,
    sides,
    forMde: { relativeMde: mde, fixed: sampleSizeForMde(base, mde), sequential: sampleSizeForMde(seq, mde) },
    forDuration: { days: opts.days, fixed: mdeForDuration(base, opts.days), sequential: mdeForDuration(seq, opts.days) },
    forLift: opts.lift === null ? null : { relativeLift: opts.lift, fixed: powerForLift(base, opts.lift, opts.days), sequential: powerForLift(seq, opts.lift, opts.days) },
  };
}
