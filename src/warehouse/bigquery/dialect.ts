import type { Dialect } from '../types.js';

// Control characters have no business in names, keys or event names; refusing them keeps compiled
// SQL line-oriented and leaves BigQuery's escape sequences (\n, \x.., \u....) unused.
function refuseControl(kind: string, value: string): void {
  if (/[\x00-\x1f\x7f]/.test(value)) throw new Error(`${kind} ${JSON.stringify(value)} contains a control character`);
}

/**
 * One identifier part in backticks. Inside BigQuery's quoted identifiers and strings a backslash
 * starts an escape sequence, so both the backslash and the quote character are escaped.
 */
function quoteIdentifier(name: string): string {
  refuseControl('identifier', name);
  if (name === '') throw new Error('empty identifier');
  return `\`${name.replaceAll('\\', '\\\\').replaceAll('`', '\\`')}\``;
}

/**
 * BigQuery GoogleSQL: backticks around each part of project.dataset.table (a project id may hold
 * a hyphen), single-quoted strings where backslash escapes, timestamps with an explicit UTC zone.
 */
export const bigqueryDialect: Dialect = {
  quoteIdentifier,
  quoteTable: (ref) => ref.split('.').map(quoteIdentifier).join('.'),
  stringLiteral: (value) => {
    refuseControl('string literal', value);
    // Backslash first, so the backslash added before a quote is not doubled again.
    return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
  },
  timestampLiteral: (iso) => `TIMESTAMP '${new Date(iso).toISOString().replace('T', ' ').replace('Z', ' UTC')}'`,
  numberLiteral: (text) => {
    if (!/^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) throw new Error(`not a number literal: ${text}`);
    return text;
  },
  booleanLiteral: (value) => (value ? 'TRUE' : 'FALSE'),
  rowHashId: 'bigquery: FARM_FINGERPRINT of row text (row_text)',
  // Dataset and table names are case-sensitive; column names are not.
  identifierCase: { tables: 'exact', columns: 'insensitive' },
};
