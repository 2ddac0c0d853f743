import { normalizeNumericText } from '../normalize.js';
import type { Cell, Row } from '../types.js';

/** The parts of a BigQuery table schema that row conversion reads. */
export interface SchemaField {
  name: string;
  type: string;
  mode?: string;
  fields?: SchemaField[];
}

/** A row as the REST API sends it: `{ f: [{ v }] }`, every scalar as text. */
export interface RawRow {
  f: { v: unknown }[];
}

/**
 * INT64 microseconds since the epoch (formatOptions.useInt64Timestamp) -> ISO-8601 ending in Z, at
 * millisecond precision (floored), the one form every adapter returns: the same data gives the same
 * rows on every warehouse.
 */
export function microsToIso(micros: string): string {
  const us = BigInt(micros);
  let ms = us / 1000n;
  if (us % 1000n < 0n) ms -= 1n;
  return new Date(Number(ms)).toISOString();
}

function cell(field: SchemaField, v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (field.mode === 'REPEATED' || field.type === 'RECORD' || field.type === 'STRUCT') return JSON.stringify(v);
  const text = String(v);
  switch (field.type) {
    case 'INTEGER':
    case 'INT64':
    case 'NUMERIC':
    case 'BIGNUMERIC':
    case 'BIGDECIMAL':
      // Exact decimal text: a number only when nothing is lost, else the text itself.
      return normalizeNumericText(text);
    case 'FLOAT':
    case 'FLOAT64':
      return Number(text);
    case 'BOOLEAN':
    case 'BOOL':
      return text === 'true';
    case 'TIMESTAMP':
      // Integer microseconds when asked for (the SDK asks); older answers give float seconds.
      return /^-?\d+$/.test(text) ? microsToIso(text) : new Date(Number(text) * 1000).toISOString();
    case 'DATE':
      // Midnight UTC as an ISO instant, as the DuckDB, Postgres and Snowflake adapters give a DATE.
      return /^\d{4}-\d\d-\d\d$/.test(text) ? `${text}T00:00:00.000Z` : text;
    default:
      // STRING, DATETIME, TIME, JSON, BYTES (base64): the API's own text.
      return text;
  }
}

/** REST rows + schema -> normalized rows (number, string, boolean, ISO timestamp, null). */
export function convertRows(fields: SchemaField[], rows: RawRow[]): Row[] {
  return rows.map((r) => {
    const row: Row = {};
    fields.forEach((f, i) => {
      row[f.name] = cell(f, r.f[i]?.v);
    });
    return row;
  });
}
