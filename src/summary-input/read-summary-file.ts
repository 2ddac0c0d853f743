import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import { rowsToMetrics, SummaryInputError, type RawRow, type SummaryMetric } from './summary-rows.js';

export { SummaryInputError } from './summary-rows.js';
export type { SummaryMetric } from './summary-rows.js';

/**
 * Reads per-arm summary numbers from a .csv (header row, one arm per row) or a .json file
 * (an array of objects with the same keys, or { "arms": [...] }). Errors name file, row and column.
 */
export function readSummaryFile(path: string, controlFlag?: string, onNote?: (note: string) => void): SummaryMetric[] {
  const stdin = path === '-';
  const name = stdin ? 'stdin' : basename(path);
  let text: string;
  try {
    text = readFileSync(stdin ? 0 : path, 'utf8');
  } catch (e) {
    throw new SummaryInputError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  // stdin has no extension: JSON starts with [ or {, anything else is CSV.
  const ext = stdin ? (/^\s*[[{]/.test(text) ? '.json' : '.csv') : extname(path).toLowerCase();
  if (ext === '.csv') return parseSummaryCsv(name, text, controlFlag, onNote);
  if (ext === '.json') return parseSummaryJson(name, text, controlFlag, onNote);
  throw new SummaryInputError(`${path}: unknown file type '${ext || '(none)'}' (expected .csv or .json)`);
}

export function parseSummaryCsv(file: string, text: string, controlFlag?: string, onNote?: (note: string) => void): SummaryMetric[] {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { info: true, skip_empty_lines: true, trim: true, bom: true, relax_column_count: false }) as unknown as typeof records;
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw new SummaryInputError(`${file}${err.lines ? `:${err.lines}` : ''}: not valid CSV (${err.message})`);
  }
  if (records.length === 0) throw new SummaryInputError(`${file}: empty file (expected a header such as variant,units,conversions)`);
  const header = records[0].record.map((h) => h.toLowerCase());
  const rows: RawRow[] = records.slice(1).map(({ record, info }) => ({
    where: `${file}:${info.lines}`,
    cells: Object.fromEntries(header.map((h, i) => [h, record[i]])),
  }));
  return rowsToMetrics(file, header, rows, controlFlag, onNote);
}

export function parseSummaryJson(file: string, text: string, controlFlag?: string, onNote?: (note: string) => void): SummaryMetric[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new SummaryInputError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const list = Array.isArray(doc) ? doc : doc && typeof doc === 'object' && Array.isArray((doc as { arms?: unknown }).arms) ? (doc as { arms: unknown[] }).arms : null;
  if (!list) throw new SummaryInputError(`${file}: expected an array of arm objects (or {"arms": [...]})`);
  const header = new Set<string>();
  const rows: RawRow[] = list.map((item, i) => {
    if (!item || typeof item !== 'object' || Array.isArray(item)) throw new SummaryInputError(`${file}:[${i}]: expected an object with variant, units, ...`);
    const cells: RawRow['cells'] = {};
    for (const [k, v] of Object.entries(item as Record<string, unknown>)) {
      const key = k.toLowerCase();
      header.add(key);
      if (v !== null && typeof v === 'object') throw new SummaryInputError(`${file}:[${i}]: column ${key}: expected a number or text, got ${JSON.stringify(v)}`);
      cells[key] = v as string | number | boolean | null;
    }
    return { where: `${file}:[${i}]`, cells };
  });
  return rowsToMetrics(file, [...header], rows, controlFlag, onNote);
}
