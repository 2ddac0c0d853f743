// The warehouses the matrix tests run on here: DuckDB in-process, Postgres on the test server. Each can
// be given tables (DDL and inserts in its own SQL) and then hands out its real adapter.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { getWarehouse } from '../../src/warehouse/registry.js';
import type { Adapter } from '../../src/warehouse/types.js';
import { adminClient, freshDatabase, postgresServer, postgresTarget } from './postgres-database.js';

export const MATRIX_WAREHOUSES = ['duckdb', 'postgres'] as const;
export type MatrixWarehouse = (typeof MATRIX_WAREHOUSES)[number];

/** Column types of fixture tables, in each warehouse's own spelling. */
export type ColumnKind = 'text' | 'integer' | 'double' | 'decimal' | 'timestamp' | 'boolean';
export const COLUMN_TYPES: Record<MatrixWarehouse, Record<ColumnKind, string>> = {
  duckdb: { text: 'VARCHAR', integer: 'BIGINT', double: 'DOUBLE', decimal: 'DECIMAL(38, 6)', timestamp: 'TIMESTAMP', boolean: 'BOOLEAN' },
  postgres: { text: 'TEXT', integer: 'BIGINT', double: 'DOUBLE PRECISION', decimal: 'NUMERIC(38, 6)', timestamp: 'TIMESTAMP', boolean: 'BOOLEAN' },
};

/** Runs `statements` (which create and fill tables) on a fresh database of the warehouse; returns its adapter. */
export async function preparedAdapter(warehouse: MatrixWarehouse, name: string, statements: string[]): Promise<Adapter> {
  if (warehouse === 'duckdb') {
    const path = join(mkdtempSync(join(tmpdir(), 'exptrack-matrix-')), `${name}.duckdb`);
    const instance = await DuckDBInstance.create(path);
    const conn = await instance.connect();
    try {
      for (const sql of statements) await conn.run(sql);
      await conn.run('CHECKPOINT');
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
    return getWarehouse('duckdb').createAdapter({ path }, { projectRoot: tmpdir(), targetName: 'duckdb_test' });
  }
  const server = postgresServer();
  await freshDatabase(server, name);
  const admin = await adminClient(server, name);
  try {
    for (const sql of statements) await admin.query(sql);
  } finally {
    await admin.end();
  }
  const target = postgresTarget(server, name);
  return getWarehouse('postgres').createAdapter(target.settings, { projectRoot: tmpdir(), targetName: target.name });
}
