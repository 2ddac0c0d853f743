import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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
  // Build the SQL first: invalid options fail before any file is touched.
  const statements = demoStatements(opts);

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
  // Written after the rename: a crash in between leaves no marker, so the next `npm start` rebuilds.
  writeFileSync(demoGeneratorFile(dbPath), `${demoGeneratorId(opts)}\n`);
  return counts;
}

/** The file beside a demo warehouse naming the generator that built it (see demoDataCurrent). */
export const demoGeneratorFile = (dbPath: string) => `${dbPath}.generator`;

/**
 * The generator's identity: a digest of every statement a build runs, for its seed and scale. A release
 * that adds demo experiments or changes a draw changes it, so `npm start` can tell a warehouse built by
 * an older release (whose new demo specs would find no rows) from a current one.
 */
export function demoGeneratorId(opts: DemoOptions = {}): string {
  return createHash('sha256').update(demoStatements(opts).join(';\n')).digest('hex').slice(0, 16);
}

/** Whether the warehouse at dbPath exists and was built by this release's generator at the default seed and scale. */
export function demoDataCurrent(dbPath: string): boolean {
  if (!existsSync(dbPath)) return false;
  try {
    return readFileSync(demoGeneratorFile(dbPath), 'utf8').trim() === demoGeneratorId();
  } catch {
    return false;
  }
}

function demoStatements(opts: DemoOptions): string[] {
  const seed = opts.seed ?? DEFAULT_DEMO_SEED;
  const scale = opts.scale ?? 1;
  return [
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
}
