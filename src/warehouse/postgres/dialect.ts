import type { Dialect } from '../types.js';

/** Postgres truncates longer names silently, which could make two aliases collide. */
const MAX_IDENTIFIER_BYTES = 63;

function quoteIdentifier(name: string): string {
  if (Buffer.byteLength(name, 'utf8') > MAX_IDENTIFIER_BYTES) {
    throw new Error(`identifier ${JSON.stringify(name)} is longer than Postgres's ${MAX_IDENTIFIER_BYTES} bytes`);
  }
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Postgres: double-quoted identifiers, single-quoted strings with '' escapes. The adapter turns
 * standard_conforming_strings on for its sessions, so a backslash in a literal is just a backslash.
 */
export const postgresDialect: Dialect = {
  quoteIdentifier,
  quoteTable: (ref) => ref.split('.').map(quoteIdentifier).join('.'),
  stringLiteral: (value) => {
    // NUL cannot be stored in Postgres text at all; other control characters are refused as on
    // every warehouse, so compiled SQL stays line-oriented.
    if (/[\x00-\x1f\x7f]/.test(value)) throw new Error(`string literal ${JSON.stringify(value)} contains a control character`);
    return `'${value.replaceAll("'", "''")}'`;
  },
  // Demo and typical event tables use TIMESTAMP (UTC wall clock); sessions run in UTC so a
  // TIMESTAMPTZ column compares the same way.
  timestampLiteral: (iso) => `TIMESTAMP '${new Date(iso).toISOString().replace('T', ' ').replace('Z', '')}'`,
  numberLiteral: (text) => {
    if (!/^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) throw new Error(`not a number literal: ${text}`);
    return text;
  },
  booleanLiteral: (value) => (value ? 'TRUE' : 'FALSE'),
  rowHashId: 'postgres: md5 of row text (row_text)',
  // Every name is quoted on output, and a quoted name matches only itself: "Accounts" is not accounts.
  identifierCase: { tables: 'exact', columns: 'exact' },
};
