// FAKE catalogues for the fake cloud servers: answers the information_schema queries exptrack sends
// (templates/sql/*/catalogue_columns.sql.hbs) from a DuckDB database's own catalogue, with the column
// types spelled as BigQuery or Snowflake spell them. Only catalogue queries are answered here; every
// other query falls through to the fake's usual answer.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { FakeResult } from './fake-snowflake-duckdb.js';

export interface CatalogueRow {
  table_schema: string;
  table_name: string;
  column_name: string;
  data_type: string;
  ordinal_position: number;
}

export function isCatalogueQuery(sql: string): boolean {
  return /information_schema\s*\.\s*columns/i.test(sql);
}

/** BigQuery's INFORMATION_SCHEMA.COLUMNS.data_type for a DuckDB type. */
export function bigqueryTypeName(duckdb: string): string {
  const t = duckdb.toUpperCase();
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|U\w*INT)/.test(t)) return 'INT64';
  if (t.startsWith('DECIMAL')) return 'NUMERIC';
  if (/^(FLOAT|DOUBLE|REAL)/.test(t)) return 'FLOAT64';
  if (t.startsWith('TIMESTAMP')) return 'TIMESTAMP';
  if (t === 'BOOLEAN') return 'BOOL';
  if (t === 'DATE') return 'DATE';
  return 'STRING';
}

/** Snowflake's information_schema.columns.data_type for a DuckDB type. */
export function snowflakeTypeName(duckdb: string): string {
  const t = duckdb.toUpperCase();
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|U\w*INT|DECIMAL)/.test(t)) return 'NUMBER';
  if (/^(FLOAT|DOUBLE|REAL)/.test(t)) return 'FLOAT';
  if (t === 'TIMESTAMP WITH TIME ZONE') return 'TIMESTAMP_TZ';
  if (t.startsWith('TIMESTAMP')) return 'TIMESTAMP_NTZ';
  if (t === 'BOOLEAN') return 'BOOLEAN';
  if (t === 'DATE') return 'DATE';
  return 'TEXT';
}

/** Columns of the DuckDB database, optionally only of these schemas. */
export async function duckdbCatalogue(con: DuckDBConnection, schemas?: string[]): Promise<CatalogueRow[]> {
  const reader = await con.runAndReadAll(
    "SELECT table_schema, table_name, column_name, data_type, ordinal_position FROM information_schema.columns WHERE table_schema NOT IN ('information_schema', 'pg_catalog') ORDER BY 1, 2, 5",
  );
  const rows = reader.getRowObjectsJS().map((r) => ({ ...(r as unknown as CatalogueRow), ordinal_position: Number(r.ordinal_position) }));
  return schemas ? rows.filter((r) => schemas.includes(r.table_schema)) : rows;
}

/**
 * BigQuery: `dataset`.INFORMATION_SCHEMA.COLUMNS per dataset (or `project`.`dataset`), as the
 * BigQuery partial writes it. The fake's DuckDB schema plays the dataset.
 */
export async function bigqueryCatalogueAnswer(con: DuckDBConnection, sql: string): Promise<{ fields: { name: string; type: string }[]; rows: (string | number)[][] } | null> {
  if (!isCatalogueQuery(sql)) return null;
  const datasets = [...sql.matchAll(/`([^`]+)`\s*\.\s*INFORMATION_SCHEMA\.COLUMNS/gi)].map((m) => m[1]);
  if (datasets.length === 0) throw new Error('fake BigQuery: INFORMATION_SCHEMA.COLUMNS needs a dataset qualifier');
  const rows = await duckdbCatalogue(con, datasets);
  return {
    fields: [
      { name: 'table_schema', type: 'STRING' },
      { name: 'table_name', type: 'STRING' },
      { name: 'column_name', type: 'STRING' },
      { name: 'data_type', type: 'STRING' },
      { name: 'ordinal_position', type: 'INTEGER' },
    ],
    rows: rows.map((r) => [r.table_schema, r.table_name, r.column_name, bigqueryTypeName(r.data_type), r.ordinal_position]),
  };
}

/** Snowflake: names in upper case (unquoted identifiers fold to upper case there), Snowflake type names. */
export async function snowflakeCatalogueAnswer(con: DuckDBConnection, sql: string): Promise<FakeResult | null> {
  if (!isCatalogueQuery(sql)) return null;
  const rows = await duckdbCatalogue(con);
  return {
    columns: ['TABLE_SCHEMA', 'TABLE_NAME', 'COLUMN_NAME', 'DATA_TYPE'].map((name) => ({ name, type: 'text' as const })),
    rows: rows.map((r) => [r.table_schema.toUpperCase(), r.table_name.toUpperCase(), r.column_name.toUpperCase(), snowflakeTypeName(r.data_type)]),
  };
}
