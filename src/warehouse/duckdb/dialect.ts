import { createRequire } from 'node:module';
import type { Dialect } from '../types.js';

/** The bundled DuckDB's version: the engine is part of the package, so compile can name it without connecting. */
const DUCKDB_VERSION = (createRequire(import.meta.url)('@duckdb/node-api/package.json') as { version: string }).version;

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** DuckDB: SQL-standard double-quoted identifiers, single-quoted strings with '' escapes. */
export const duckdbDialect: Dialect = {
  quoteIdentifier,
  quoteTable: (ref) => ref.split('.').map(quoteIdentifier).join('.'),
  stringLiteral: (value) => {
    // Control characters have no business in keys or event names, and refusing them keeps
    // compiled SQL line-oriented (a blank line can never sit inside a literal).
    if (/[\x00-\x1f\x7f]/.test(value)) throw new Error(`string literal ${JSON.stringify(value)} contains a control character`);
    return `'${value.replaceAll("'", "''")}'`;
  },
  // Timestamps are compared as UTC wall-clock values (TIMESTAMP, not TIMESTAMPTZ).
  timestampLiteral: (iso) => `TIMESTAMP '${new Date(iso).toISOString().replace('T', ' ').replace('Z', '')}'`,
  numberLiteral: (text) => {
    if (!/^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) throw new Error(`not a number literal: ${text}`);
    return text;
  },
  booleanLiteral: (value) => (value ? 'TRUE' : 'FALSE'),
  // DuckDB's hash() of the typed columns costs a fraction of text plus md5 (10M rows: about 0.1 s
  // against 10 s of CPU). Its values may change between DuckDB versions, so the version is part of the id.
  rowHashId: `duckdb hash() of the typed columns, ${DUCKDB_VERSION}`,
};

/** The catalog name a target's state file (write_schema) is attached under, read-write beside the read-only source. */
export const DUCKDB_STATE_CATALOG = 'exptrack_state';
