// Copies the DuckDB demo warehouse into a Postgres database, table by table and value for value:
// DuckDB writes each table to CSV, the Postgres server reads it with COPY. Server-side COPY needs a
// superuser (the test server's), and a file the server's account can read.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type pg from 'pg';
import { adminClient, freshDatabase } from './postgres-database.js';
import type { PostgresServerInfo } from './postgres-server.js';

/** DuckDB column type -> the Postgres type that holds every value exactly. */
function postgresType(duckType: string): string {
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(duckType);
  if (decimal) return `NUMERIC(${decimal[1]}, ${decimal[2]})`;
  const map: Record<string, string> = {
    VARCHAR: 'TEXT',
    DOUBLE: 'DOUBLE PRECISION',
    FLOAT: 'REAL',
    BIGINT: 'BIGINT',
    INTEGER: 'INTEGER',
    SMALLINT: 'SMALLINT',
    BOOLEAN: 'BOOLEAN',
    DATE: 'DATE',
    TIMESTAMP: 'TIMESTAMP',
    'TIMESTAMP WITH TIME ZONE': 'TIMESTAMPTZ',
  };
  const t = map[duckType];
  if (!t) throw new Error(`no Postgres type for DuckDB type ${duckType}`);
  return t;
}

const q = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Every table of the DuckDB schema `schema` -> the same schema, tables, column names and types in
 * Postgres, rows copied exactly (the caller's `client` is connected to the target database as a
 * superuser). Returns row counts per table.
 */
export async function loadDuckdbIntoPostgres(duckdbPath: string, client: pg.Client, schema = 'main'): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'exptrack-copy-'));
  // The server runs under its own account: it must be able to enter the folder and read the files.
  chmodSync(dir, 0o755);
  const instance = await DuckDBInstance.create(duckdbPath, { access_mode: 'READ_ONLY' });
  const duck = await instance.connect();
  const counts: Record<string, number> = {};
  try {
    const columns = (
      await duck.runAndReadAll(
        `SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = '${schema}' ORDER BY table_name, ordinal_position`,
      )
    ).getRowObjectsJS() as { table_name: string; column_name: string; data_type: string }[];
    const tables = [...new Set(columns.map((c) => c.table_name))];
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${q(schema)}`);
    for (const table of tables) {
      const cols = columns.filter((c) => c.table_name === table);
      const file = join(dir, `${table}.csv`);
      // NULL is written as an empty field and the empty string as "", which Postgres's CSV reads back the same way.
      await duck.run(`COPY ${q(schema)}.${q(table)} TO '${file}' (FORMAT csv, HEADER, TIMESTAMPFORMAT '%Y-%m-%d %H:%M:%S.%f')`);
      chmodSync(file, 0o644);
      await client.query(`DROP TABLE IF EXISTS ${q(schema)}.${q(table)}`);
      await client.query(`CREATE TABLE ${q(schema)}.${q(table)} (${cols.map((c) => `${q(c.column_name)} ${postgresType(c.data_type)}`).join(', ')})`);
      const r = await client.query(`COPY ${q(schema)}.${q(table)} FROM '${file}' WITH (FORMAT csv, HEADER true)`);
      counts[table] = r.rowCount ?? 0;
    }
    await client.query('ANALYZE');
  } finally {
    duck.closeSync();
    instance.closeSync();
    rmSync(dir, { recursive: true, force: true });
  }
  return counts;
}

/** A fresh database `name` on the test server holding a copy of the DuckDB file's `main` schema. */
export async function freshDatabaseFrom(server: PostgresServerInfo, name: string, duckdbPath: string): Promise<void> {
  await freshDatabase(server, name);
  const admin = await adminClient(server, name);
  try {
    await loadDuckdbIntoPostgres(duckdbPath, admin);
  } finally {
    await admin.end();
  }
}
