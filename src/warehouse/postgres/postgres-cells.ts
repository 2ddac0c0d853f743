import { normalizeNumericText } from '../normalize.js';
import type { Cell } from '../types.js';

// Type OIDs from pg_type (stable across Postgres versions).
const BOOL = 16;
const INTEGER_OIDS = new Set([20, 21, 23, 26]); // int8, int2, int4, oid
const NUMERIC = 1700;
const FLOAT_OIDS = new Set([700, 701]); // float4, float8
const DATE = 1082;
const TIMESTAMP = 1114;
const TIMESTAMPTZ = 1184;

const TS_RE = /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d+))?(?:([+-])(\d\d)(?::?(\d\d))?(?::(\d\d))?)?$/;

/**
 * Postgres timestamp text -> ISO-8601 UTC with milliseconds, the form every adapter returns.
 * TIMESTAMP (no zone) is read as UTC wall-clock time; TIMESTAMPTZ carries its offset (the session runs
 * in UTC, so it is +00). Sub-millisecond digits are dropped, as JavaScript dates (and the DuckDB
 * adapter) drop them. 'infinity' and BC dates stay text rather than becoming a wrong date.
 */
export function timestampTextToIso(text: string): string {
  const m = TS_RE.exec(text);
  if (!m) return text;
  const [, y, mo, d, h, mi, s, frac = '', sign, oh = '0', om = '0', os = '0'] = m;
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  // Date.UTC maps years 0-99 to 1900-1999.
  if (Number(y) < 100) t = new Date(t).setUTCFullYear(Number(y));
  if (sign) t -= (sign === '-' ? -1 : 1) * ((Number(oh) * 60 + Number(om)) * 60 + Number(os)) * 1000;
  return new Date(t).toISOString();
}

function numericCell(text: string): Cell {
  try {
    return normalizeNumericText(text);
  } catch {
    return text; // 'NaN', 'Infinity' of NUMERIC: keep the text, never a silent wrong number
  }
}

const identity = (text: string): Cell => text;

/**
 * The pg driver's type parsers, replaced so that every cell is a plain number, string, boolean or null:
 * no Date in local time, no driver object. Types not listed stay as Postgres prints them.
 */
export function cellParser(oid: number): (text: string) => Cell {
  if (oid === BOOL) return (t) => t === 't';
  if (INTEGER_OIDS.has(oid) || oid === NUMERIC) return numericCell;
  if (FLOAT_OIDS.has(oid)) return (t) => Number(t);
  if (oid === TIMESTAMP || oid === TIMESTAMPTZ) return timestampTextToIso;
  // DuckDB's adapter returns a DATE as midnight UTC; the same form keeps results comparable.
  if (oid === DATE) return (t) => (/^\d{4}-\d\d-\d\d$/.test(t) ? `${t}T00:00:00.000Z` : t);
  return identity;
}

/** The `types` option of a pg client. */
export const cellTypes = {
  getTypeParser: (oid: number) => cellParser(oid),
};
