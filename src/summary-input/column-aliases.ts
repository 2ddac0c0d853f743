import { closest, distance } from 'fastest-levenshtein';
import { KNOWN_COLUMNS } from './summary-columns.js';

/** Names people give summary columns in their own exports -> exptrack's column. */
export const COLUMN_ALIASES: Record<string, string> = {
  users: 'units', visitors: 'units', count: 'units', n: 'units', sample_size: 'units', subjects: 'units', exposures: 'units', participants: 'units',
  conversion: 'conversions', converted: 'conversions', successes: 'conversions', success: 'conversions', conversion_count: 'conversions',
  total: 'sum', value_sum: 'sum',
  sum_of_squares: 'sum_squares', sum_sq: 'sum_squares', sumsq: 'sum_squares', sum_squared: 'sum_squares', sum_of_squared_values: 'sum_squares',
  arm: 'variant', variation: 'variant', group: 'variant', treatment: 'variant', variant_name: 'variant', variant_key: 'variant', bucket: 'variant',
  metric_name: 'metric', is_control: 'control',
};

export interface ColumnMapping {
  /** File column -> exptrack column, for every column that is used. */
  use: Map<string, string>;
  /** Columns that are neither exptrack's nor an alias, each with a did-you-mean when one is close. */
  ignored: { column: string; suggestion: string | null }[];
}

function nearest(name: string): string | null {
  const best = closest(name, [...KNOWN_COLUMNS]);
  return distance(name, best) <= Math.max(2, Math.ceil(name.length / 3)) ? best : null;
}

/**
 * Maps a header onto exptrack's columns: exact names first, then aliases; the rest is ignored (and
 * listed, with a did-you-mean), not fatal. Two columns meaning the same thing are an error.
 */
export function mapColumns(file: string, header: string[]): ColumnMapping {
  const use = new Map<string, string>();
  const ignored: ColumnMapping['ignored'] = [];
  const taken = new Map<string, string>();
  for (const h of header) {
    const key = h.trim().toLowerCase().replace(/[\s-]+/g, '_');
    const target = KNOWN_COLUMNS.includes(key) ? key : COLUMN_ALIASES[key];
    if (!target) {
      ignored.push({ column: h, suggestion: nearest(key) });
      continue;
    }
    if (taken.has(target)) throw new Error(`${file}:1: columns '${taken.get(target)}' and '${h}' both mean ${target}; keep one`);
    taken.set(target, h);
    use.set(h, target);
  }
  return { use, ignored };
}

/** "missing column variant; did you mean 'varaint'?" using the ignored columns as candidates. */
export function missingColumnHint(required: string, ignored: ColumnMapping['ignored']): string {
  const near = ignored.map((i) => i.column).filter((c) => distance(c.toLowerCase(), required) <= Math.max(2, Math.ceil(required.length / 3)));
  return near.length ? `; did you mean '${near[0]}'?` : '';
}
