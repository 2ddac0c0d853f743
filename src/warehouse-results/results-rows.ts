import type { DecisionRecord } from '../audit/decisions.js';
import type { ArmResult, ComparisonResult, MetricResult, Results } from '../run/results.js';
import { canonicalJson, sha256 } from '../util/digest.js';

/**
 * The long-form rows exptrack writes back to the warehouse (README, Results in the warehouse): pure
 * functions of a package's results.json and its digest, so a row can always be traced to, and
 * recomputed from, the package it came from.
 */

/** The types of the `column_type` partial (templates/sql/<warehouse>/column_type.sql.hbs); counts are exact in a double. */
export type ColumnType = 'string' | 'number' | 'boolean' | 'timestamp';
export interface Column {
  name: string;
  type: ColumnType;
}
export type CellValue = string | number | boolean | null;
export type WriteRow = Record<string, CellValue>;

const col = (name: string, type: ColumnType): Column => ({ name, type });

/** One row per metric, dimension slice and variant; the control's row has no comparison columns. */
export const RESULTS_COLUMNS: Column[] = [
  col('experiment', 'string'),
  col('run_id', 'string'),
  col('row_key', 'string'),
  col('as_of', 'timestamp'),
  col('metric', 'string'),
  col('metric_kind', 'string'),
  col('metric_role', 'string'),
  col('dimension', 'string'),
  col('dimension_value', 'string'),
  col('variant', 'string'),
  col('is_control', 'boolean'),
  col('units', 'number'),
  col('mean', 'number'),
  col('variance', 'number'),
  col('absolute_lift', 'number'),
  col('absolute_ci_low', 'number'),
  col('absolute_ci_high', 'number'),
  col('absolute_p_value', 'number'),
  col('relative_lift', 'number'),
  col('relative_ci_low', 'number'),
  col('relative_ci_high', 'number'),
  col('relative_p_value', 'number'),
  col('relative_p_value_adjusted', 'number'),
  col('estimate_ok', 'boolean'),
  col('chance_to_win', 'number'),
  col('recommendation', 'string'),
  col('recommended_variant', 'string'),
  col('package_digest', 'string'),
  col('tool_version', 'string'),
];
/** Rows of one run are replaced, never duplicated: (run_id, row_key) is the key the MERGE matches on. */
export const RESULTS_KEY = ['run_id', 'row_key'];

export const DECISIONS_COLUMNS: Column[] = [
  col('experiment', 'string'),
  col('sequence', 'number'),
  col('decision', 'string'),
  col('variant', 'string'),
  col('decided_by', 'string'),
  col('note', 'string'),
  col('decided_at', 'timestamp'),
  col('package_run_id', 'string'),
  col('package_digest', 'string'),
  col('recommendation', 'string'),
  col('recommended_variant', 'string'),
  col('acknowledgement', 'string'),
  col('record_sha256', 'string'),
];
export const DECISIONS_KEY = ['experiment', 'sequence'];

/** JSON writes NaN and infinities as null; the warehouse row says the same. */
const num = (x: number | null | undefined): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);

/**
 * Text bound for the warehouse: the dialects refuse control characters in literals (compiled SQL
 * stays line-oriented), so a free-text field (a note) carries them as JSON escapes instead.
 */
export const warehouseText = (s: string | null): string | null => (s === null ? null : s.replace(/[\x00-\x1f\x7f]/g, (c) => JSON.stringify(c).slice(1, -1)));

function armRow(base: WriteRow, m: MetricResult, dimension: string | null, value: string | null, arm: ArmResult, comparisons: ComparisonResult[], control: string): WriteRow {
  const c = arm.variant === control ? undefined : comparisons.find((x) => x.variant === arm.variant);
  return {
    ...base,
    row_key: sha256(canonicalJson({ metric: m.name, dimension, value, variant: arm.variant })).slice(0, 32),
    metric: m.name,
    metric_kind: m.kind,
    metric_role: m.role,
    dimension,
    dimension_value: value,
    variant: arm.variant,
    is_control: arm.variant === control,
    units: num(arm.n),
    mean: num(arm.mean),
    variance: num(arm.variance),
    absolute_lift: num(c?.absolute.lift),
    absolute_ci_low: num(c?.absolute.ci[0]),
    absolute_ci_high: num(c?.absolute.ci[1]),
    absolute_p_value: num(c?.absolute.pValue),
    relative_lift: num(c?.relative.lift),
    relative_ci_low: num(c?.relative.ci[0]),
    relative_ci_high: num(c?.relative.ci[1]),
    relative_p_value: num(c?.relative.pValue),
    relative_p_value_adjusted: num(c?.relative.pValueAdjusted),
    estimate_ok: c ? c.relative.ok : null,
    chance_to_win: num(c?.bayesian.chanceToWin),
  };
}

/** Every metric's arms and comparisons, overall and per dimension value, in results.json's order. */
export function resultsRows(results: Results, packageDigest: string): WriteRow[] {
  const base: WriteRow = {
    experiment: results.experiment.id,
    run_id: results.run.runId,
    as_of: results.run.asOf,
    recommendation: results.decision.recommendation,
    recommended_variant: results.decision.variant,
    package_digest: packageDigest,
    tool_version: results.tool.version,
  };
  const control = results.experiment.control;
  const rows: WriteRow[] = [];
  for (const m of results.metrics) {
    for (const arm of m.arms) rows.push(armRow(base, m, null, null, arm, m.comparisons, control));
    for (const d of m.dimensions) for (const arm of d.arms) rows.push(armRow(base, m, d.dimension, d.value, arm, d.comparisons, control));
  }
  return rows;
}

/** One decisions.jsonl record; record_sha256 is the hash of its line, as the next record links to it. */
export function decisionRow(record: DecisionRecord, line: string): WriteRow {
  return {
    experiment: record.experiment,
    sequence: record.sequence,
    decision: record.decision,
    variant: record.variant,
    decided_by: warehouseText(record.by),
    note: warehouseText(record.note),
    decided_at: record.decidedAt,
    package_run_id: record.package.runId,
    package_digest: record.package.digest,
    recommendation: record.package.recommendation,
    recommended_variant: record.package.variant,
    acknowledgement: warehouseText(record.acknowledgement?.reason ?? null),
    record_sha256: sha256(line),
  };
}
