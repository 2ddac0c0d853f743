// An order-independent digest of a table's exact contents, computed inside each engine, so the
// demo loader can be shown to copy every value (timestamps to the microsecond) from DuckDB to Postgres.

export type ColumnKind = 'text' | 'timestamp' | 'double' | 'boolean';

/** How one engine spells the canonical text of a value of each kind. */
export interface FingerprintSpelling {
  text(col: string): string;
  timestamp(col: string): string;
  double(col: string): string;
  boolean(col: string): string;
  /** ORDER BY key for string_agg, in byte order. */
  orderKey(expr: string): string;
}

export const DUCKDB_SPELLING: FingerprintSpelling = {
  text: (c) => c,
  timestamp: (c) => `CAST(epoch_us(${c}) AS VARCHAR)`,
  // The demo's doubles are amounts with two decimals; ten places show any change in the copy.
  double: (c) => `CAST(CAST(${c} AS DECIMAL(38, 10)) AS VARCHAR)`,
  boolean: (c) => `CASE WHEN ${c} THEN 't' ELSE 'f' END`,
  orderKey: (e) => e,
};

export const POSTGRES_SPELLING: FingerprintSpelling = {
  text: (c) => c,
  timestamp: (c) => `CAST(CAST(EXTRACT(EPOCH FROM ${c}) * 1000000 AS BIGINT) AS TEXT)`,
  double: (c) => `CAST(CAST(${c} AS NUMERIC(38, 10)) AS TEXT)`,
  boolean: (c) => `CASE WHEN ${c} THEN 't' ELSE 'f' END`,
  orderKey: (e) => `${e} COLLATE "C"`,
};

export function columnKind(duckType: string): ColumnKind {
  if (duckType === 'VARCHAR') return 'text';
  if (duckType.startsWith('TIMESTAMP')) return 'timestamp';
  if (duckType === 'DOUBLE') return 'double';
  if (duckType === 'BOOLEAN') return 'boolean';
  throw new Error(`no fingerprint spelling for ${duckType}`);
}

/** SELECT returning one row: n (row count) and digest (md5 over the sorted md5 of every row). */
export function fingerprintSql(table: string, columns: { name: string; kind: ColumnKind }[], s: FingerprintSpelling): string {
  const parts = columns.map((c) => `COALESCE(${s[c.kind](`t."${c.name}"`)}, '<null>')`);
  return `WITH r AS (SELECT md5(${parts.join(` || '|' || `)}) AS h FROM ${table} AS t)
SELECT CAST(COUNT(*) AS VARCHAR) AS n, md5(string_agg(h, ',' ORDER BY ${s.orderKey('h')})) AS digest FROM r`;
}
