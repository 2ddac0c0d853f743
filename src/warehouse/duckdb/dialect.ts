import type { Dialect } from '../types.js';

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
};
