import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { appEventsSql, exposuresSql, TABLE_DDL, webEventsSql } from './demo-events-sql.js';
import { DEFAULT_DEMO_SEED } from './demo-truth.js';
import { drawMacroSql, unitsSql } from './demo-units-sql.js';

export { DEMO_AS_OF, DEMO_START, DEMO_TRUTH, DEFAULT_DEMO_SEED } from './demo-truth.js';
export type { DemoExperimentTruth, DemoTruth } from './demo-truth.js';

export interface DemoOptions {
  /** Seed for every draw; the same seed always gives the same warehouse. Default 20261101. */
  seed?: number;
  /** Multiplies every experiment's unit count (default 1), e.g. 0.1 for quick tests, 10 for benchmarks. */
  scale?: number;
}

function removeDatabaseFiles(path: string): void {
  rmSync(path, { force: true });
  rmSync(`${path}.wal`, { force: true });
}

/**
 * Creates (or replaces) the demo warehouse at dbPath. Everything is generated inside DuckDB from hash-based
 * draws, so a build is fast and deterministic for a seed. Writes to dbPath + '.tmp' then renames, so a crash
 * never leaves a half-built file at dbPath. Returns row counts per table.
 */
export async function buildDemoData(dbPath: string, opts: DemoOptions = {}): Promise<Record<string, number>> {
  const seed = opts.seed ?? DEFAULT_DEMO_SEED;
  const scale = opts.scale ?? 1;
  // Build the SQL first: invalid options fail before any file is touched.
  const statements = [
    drawMacroSql(seed),
    unitsSql(scale),
    ...Object.values(TABLE_DDL),
    exposuresSql(),
    webEventsSql(),
    appEventsSql(),
    'DROP TABLE demo_units',
    // Fold the WAL into the file now, so the renamed file is complete on its own.
    'CHECKPOINT',
  ];

  mkdirSync(dirname(dbPath), { recursive: true });
  const tmp = `${dbPath}.tmp`;
  // A leftover from a crashed build would otherwise be opened and appended to.
  removeDatabaseFiles(tmp);

  const counts: Record<string, number> = {};
  try {
    const instance = await DuckDBInstance.create(tmp);
    try {
      const connection = await instance.connect();
      try {
        for (const sql of statements) await connection.run(sql);
        for (const table of Object.keys(TABLE_DDL)) {
          const rows = (await connection.runAndReadAll(`SELECT count(*) AS n FROM main.${table}`)).getRowObjectsJS();
          counts[table] = Number(rows[0].n);
        }
      } finally {
        connection.closeSync();
      }
    } finally {
      instance.closeSync();
    }
    if (existsSync(`${tmp}.wal`)) throw new Error(`demo build left a write-ahead log at ${tmp}.wal`);
    // A stale WAL next to the target would be replayed into the new file on its next open.
    rmSync(`${dbPath}.wal`, { force: true });
    renameSync(tmp, dbPath);
  } catch (e) {
    removeDatabaseFiles(tmp);
    throw e;
  }
  return counts;
}
