import type { Dialect } from '../types.js';

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Snowflake: double-quoted identifiers; single-quoted strings in which a backslash is an escape
 * character, so both `\` and `'` are escaped. Quoted names are case-sensitive in Snowflake; the
 * adapter sets QUOTED_IDENTIFIERS_IGNORE_CASE so that the lower-case names of models and compiled
 * aliases resolve to Snowflake's usual upper-case objects (see README, Warehouses > Snowflake).
 */
export const snowflakeDialect: Dialect = {
  quoteIdentifier,
  quoteTable: (ref) => ref.split('.').map(quoteIdentifier).join('.'),
  stringLiteral: (value) => {
    // Same rule as every dialect: keys and event names never hold control characters, and compiled
    // SQL stays line-oriented.
    if (/[\x00-\x1f\x7f]/.test(value)) throw new Error(`string literal ${JSON.stringify(value)} contains a control character`);
    return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
  },
  // Wall-clock UTC, compared as TIMESTAMP_NTZ; the adapter pins the session TIMEZONE to UTC so
  // TIMESTAMP_TZ/LTZ columns compare in UTC too. The cast form (not TIMESTAMP_NTZ '…') is the one
  // every independent Snowflake parser here accepts.
  timestampLiteral: (iso) => `'${new Date(iso).toISOString().replace('T', ' ').replace('Z', '')}'::TIMESTAMP_NTZ`,
  numberLiteral: (text) => {
    if (!/^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) throw new Error(`not a number literal: ${text}`);
    return text;
  },
  booleanLiteral: (value) => (value ? 'TRUE' : 'FALSE'),
  rowHashId: 'snowflake: HASH of row text (row_text)',
};
