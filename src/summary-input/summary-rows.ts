import { quantileArmStats, type ArmSufficientStats, type Moments, type NamedArm } from '../stats/index.js';
import { KNOWN_COLUMNS, type NumberColumn } from './summary-columns.js';
import { mapColumns, missingColumnHint } from './column-aliases.js';

/** One arm row as read from a file: raw cell texts (or JSON numbers) and where it came from. */
export interface RawRow {
  /** 'summary.csv:4' or 'summary.json:[2]' */
  where: string;
  cells: Record<string, string | number | boolean | null | undefined>;
}

export interface SummaryMetric {
  name: string;
  kind: ArmSufficientStats['kind'];
  control: string;
  /** Control first, then the treatments in file order. */
  arms: NamedArm[];
  /** The variants in the order the file lists them (planned weights given by position follow it). */
  fileOrder: string[];
  /** From a higher_is_better column; undefined when the file does not say. */
  higherIsBetter?: boolean;
  /** Quantile rows: the arms are built from the quantile and its order statistics. */
  quantile?: boolean;
}

export class SummaryInputError extends Error {}

const DEFAULT_METRIC = 'metric';

/**
 * Rows -> metrics with validated sufficient statistics. Every problem names the row and column.
 * controlFlag (the --control option) wins over a control column, which wins over "first row".
 */
export function rowsToMetrics(file: string, rawHeader: string[], rawRows: RawRow[], controlFlag?: string, onNote?: (note: string) => void): SummaryMetric[] {
  // Common names (users, conversions, sum_of_squares, ...) map onto exptrack's; other columns are ignored.
  let mapping;
  try {
    mapping = mapColumns(file, rawHeader);
  } catch (e) {
    throw new SummaryInputError((e as Error).message);
  }
  for (const i of mapping.ignored) onNote?.(`${file}:1: column '${i.column}' ignored (not a summary column${i.suggestion ? `; did you mean '${i.suggestion}'?` : ''})`);
  const header = rawHeader.filter((h) => mapping.use.has(h)).map((h) => mapping.use.get(h)!);
  const rows = rawRows.map((r) => ({ where: r.where, cells: Object.fromEntries(Object.entries(r.cells).filter(([k]) => mapping.use.has(k)).map(([k, v]) => [mapping.use.get(k)!, v])) }));
  for (const required of ['variant', 'units']) {
    if (!header.includes(required)) {
      throw new SummaryInputError(`${file}:1: missing column ${required} (header has: ${rawHeader.join(', ')})${missingColumnHint(required, mapping.ignored)}`);
    }
  }
  if (!header.some((h) => h === 'conversions' || h === 'sum' || h === 'quantile')) throw new SummaryInputError(`${file}:1: needs a conversions column, sum and sum_squares columns, or quantile, quantile_lower and quantile_upper columns${missingColumnHint('conversions', mapping.ignored) || missingColumnHint('sum', mapping.ignored)}`);
  if (rows.length === 0) throw new SummaryInputError(`${file}: no arms (the file has a header but no rows)`);

  const byMetric = new Map<string, Array<{ row: RawRow; variant: string; arm: ArmSufficientStats; isControl: boolean }>>();
  for (const row of rows) {
    const name = text(row, 'metric') || DEFAULT_METRIC;
    const variant = text(row, 'variant');
    if (!variant) throw new SummaryInputError(`${row.where}: column variant: empty`);
    const list = byMetric.get(name) ?? [];
    if (list.some((a) => a.variant === variant)) throw new SummaryInputError(`${row.where}: column variant: '${variant}' appears twice for metric '${name}'`);
    list.push({ row, variant, arm: rowToArm(row), isControl: flag(row) });
    byMetric.set(name, list);
  }

  return [...byMetric.entries()].map(([name, list]) => {
    const first = list[0];
    for (const a of list) {
      if (a.arm.kind !== first.arm.kind) {
        throw new SummaryInputError(`${a.row.where}: metric '${name}' is ${first.arm.kind} in ${first.row.where} but ${a.arm.kind} here (fill the same value columns in every arm)`);
      }
      const hasX = a.arm.x !== undefined;
      if (hasX !== (first.arm.x !== undefined)) throw new SummaryInputError(`${a.row.where}: column covariate_sum: give the covariate for every arm of metric '${name}' or for none`);
    }
    if (list.length < 2) throw new SummaryInputError(`${first.row.where}: metric '${name}' has only one arm; a control and at least one treatment are needed`);
    let control: (typeof list)[number] | undefined;
    if (controlFlag !== undefined) {
      control = list.find((a) => a.variant === controlFlag);
      if (!control) throw new SummaryInputError(`${file}: missing control: --control '${controlFlag}' is not a variant of metric '${name}' (variants: ${list.map((a) => a.variant).join(', ')})`);
    } else if (header.includes('control')) {
      const marked = list.filter((a) => a.isControl);
      if (marked.length !== 1) {
        throw new SummaryInputError(`${first.row.where}: column control: metric '${name}' has ${marked.length} rows marked as control; exactly 1 is needed`);
      }
      control = marked[0];
    } else {
      control = first;
    }
    const ordered = [control, ...list.filter((a) => a !== control)];
    const directions = new Set(list.map((a) => text(a.row, 'higher_is_better').toLowerCase()).filter((v) => v !== ''));
    if (directions.size > 1) throw new SummaryInputError(`${first.row.where}: column higher_is_better: metric '${name}' has different values in different rows`);
    const direction = [...directions][0];
    if (direction !== undefined && !['true', 'false'].includes(direction)) throw new SummaryInputError(`${first.row.where}: column higher_is_better: expected true or false, got "${direction}"`);
    return {
      name,
      kind: first.arm.kind,
      control: control.variant,
      arms: ordered.map((a) => ({ variant: a.variant, stats: a.arm })),
      fileOrder: list.map((a) => a.variant),
      ...(direction === undefined ? {} : { higherIsBetter: direction === 'true' }),
      ...(number(first.row, 'quantile') !== undefined ? { quantile: true } : {}),
    };
  });
}

function text(row: RawRow, column: string): string {
  const v = row.cells[column];
  return v === undefined || v === null ? '' : String(v).trim();
}

function flag(row: RawRow): boolean {
  const v = text(row, 'control').toLowerCase();
  if (['', '0', 'false', 'no', 'n'].includes(v)) return false;
  if (['1', 'true', 'yes', 'y', 'x'].includes(v)) return true;
  throw new SummaryInputError(`${row.where}: column control: expected true/false, got "${text(row, 'control')}"`);
}

function number(row: RawRow, column: NumberColumn): number | undefined {
  const raw = row.cells[column];
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) return undefined;
  const v = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.trim()) : NaN;
  if (!Number.isFinite(v)) throw new SummaryInputError(`${row.where}: column ${column}: not a number (${JSON.stringify(raw)})`);
  return v;
}

function need(row: RawRow, column: NumberColumn, why: string): number {
  const v = number(row, column);
  if (v === undefined) throw new SummaryInputError(`${row.where}: column ${column}: missing (${why})`);
  return v;
}

// Squares below sum^2 / n mean a negative variance: the sums cannot come from real data.
// A relative slack absorbs rounding in files written with limited digits.
function moments(row: RawRow, n: number, sumCol: NumberColumn, sqCol: NumberColumn, why: string): Moments {
  const sum = need(row, sumCol, why);
  const sumSquares = need(row, sqCol, why);
  if (sumSquares < 0) throw new SummaryInputError(`${row.where}: column ${sqCol}: negative (${sumSquares})`);
  if (n > 0 && sumSquares - (sum * sum) / n < -1e-9 * Math.max(1, sumSquares)) {
    throw new SummaryInputError(`${row.where}: column ${sqCol}: inconsistent with ${sumCol} (${sumSquares} < ${sumCol}^2 / units = ${(sum * sum) / n}; the variance would be negative)`);
  }
  return { sum, sumSquares };
}

function rowToArm(row: RawRow): ArmSufficientStats {
  const n = need(row, 'units', 'every arm needs its number of units');
  if (n < 0) throw new SummaryInputError(`${row.where}: column units: negative (${n})`);
  if (!Number.isInteger(n)) throw new SummaryInputError(`${row.where}: column units: not a whole number (${n})`);
  if (number(row, 'quantile') !== undefined) return quantileArm(row, n);
  const conversions = number(row, 'conversions');
  const hasDenominator = number(row, 'denominator_sum') !== undefined;
  let arm: ArmSufficientStats;
  if (conversions !== undefined) {
    if (number(row, 'sum') !== undefined) throw new SummaryInputError(`${row.where}: column sum: give conversions or sum, not both`);
    if (conversions < 0) throw new SummaryInputError(`${row.where}: column conversions: negative (${conversions})`);
    if (conversions > n) throw new SummaryInputError(`${row.where}: column conversions: ${conversions} conversions > ${n} units`);
    arm = { kind: 'proportion', n, y: { sum: conversions, sumSquares: conversions } };
  } else if (hasDenominator) {
    const why = 'a ratio metric needs numerator sum, sum_squares, denominator_sum, denominator_sum_squares and numerator_denominator_sum';
    arm = {
      kind: 'ratio',
      n,
      y: moments(row, n, 'sum', 'sum_squares', why),
      d: moments(row, n, 'denominator_sum', 'denominator_sum_squares', why),
      cross: { yd: need(row, 'numerator_denominator_sum', why) },
    };
  } else {
    arm = { kind: 'mean', n, y: moments(row, n, 'sum', 'sum_squares', 'a mean metric needs sum and sum_squares (or give conversions)') };
  }
  if (number(row, 'covariate_sum') !== undefined) addCovariate(row, arm);
  return arm;
}

function quantileArm(row: RawRow, n: number): ArmSufficientStats {
  const why = 'a quantile metric needs quantile, quantile_lower and quantile_upper (the order statistics of its 95% interval)';
  for (const c of ['conversions', 'sum', 'covariate_sum'] as const) {
    if (number(row, c) !== undefined) throw new SummaryInputError(`${row.where}: column ${c}: a quantile row takes quantile, quantile_lower and quantile_upper only`);
  }
  const estimate = need(row, 'quantile', why);
  const lower = need(row, 'quantile_lower', why);
  const upper = need(row, 'quantile_upper', why);
  if (!(lower <= estimate && estimate <= upper)) throw new SummaryInputError(`${row.where}: column quantile: expected quantile_lower <= quantile <= quantile_upper, got ${lower}, ${estimate}, ${upper}`);
  return quantileArmStats({ n, estimate, lower, upper });
}

function addCovariate(row: RawRow, arm: ArmSufficientStats): void {
  const n = arm.n;
  const why = 'CUPED needs covariate_sum, covariate_sum_squares and value_covariate_sum';
  if (arm.kind === 'proportion') {
    // A binary pre-period value: its squares are itself, so covariate_sum_squares may be left out.
    const sum = need(row, 'covariate_sum', why);
    if (sum < 0 || sum > n) throw new SummaryInputError(`${row.where}: column covariate_sum: must be between 0 and units for a proportion (${sum})`);
    arm.x = { sum, sumSquares: number(row, 'covariate_sum_squares') ?? sum };
  } else {
    arm.x = moments(row, n, 'covariate_sum', 'covariate_sum_squares', why);
  }
  arm.cross = { ...arm.cross, yx: need(row, 'value_covariate_sum', why) };
  if (arm.kind === 'ratio') {
    const whyRatio = 'CUPED for a ratio also needs covariate_denominator_sum(_squares) and the cross sums value_covariate_denominator_sum, denominator_covariate_sum, denominator_covariate_denominator_sum, covariate_covariate_denominator_sum';
    arm.e = moments(row, n, 'covariate_denominator_sum', 'covariate_denominator_sum_squares', whyRatio);
    arm.cross = {
      ...arm.cross,
      ye: need(row, 'value_covariate_denominator_sum', whyRatio),
      dx: need(row, 'denominator_covariate_sum', whyRatio),
      de: need(row, 'denominator_covariate_denominator_sum', whyRatio),
      xe: need(row, 'covariate_covariate_denominator_sum', whyRatio),
    };
  }
}
