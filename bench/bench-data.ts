import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { drawMacrosSql, eventsSql, exposuresSql, GENERATOR_VERSION, metaSql, TABLE_DDL, unitCount, unitsSql } from './bench-data-sql.js';

export interface BenchDataInfo {
  path: string;
  scale: number;
  seed: number;
  units: number;
  rows: Record<string, number>;
  /** Seconds spent generating; 0 when an existing file was reused. */
  buildSeconds: number;
  reused: boolean;
}

export interface DuckdbSettings {
  threads: number;
  memoryLimit: string;
  tempDirectory: string;
}

async function readMeta(path: string): Promise<{ scale: number; seed: number; version: number } | null> {
  if (!existsSync(path)) return null;
  try {
    const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
    try {
      const c = await instance.connect();
      const [r] = (await c.runAndReadAll('SELECT scale, seed, generator_version FROM main.bench_meta')).getRowObjectsJS();
      c.closeSync();
      return r ? { scale: Number(r.scale), seed: Number(r.seed), version: Number(r.generator_version) } : null;
    } finally {
      instance.closeSync();
    }
  } catch {
    // Not a bench file, or a crashed build: rebuild.
    return null;
  }
}

async function countRows(path: string): Promise<Record<string, number>> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  try {
    const c = await instance.connect();
    const rows: Record<string, number> = {};
    for (const t of ['exposures', 'events']) {
      rows[t] = Number((await c.runAndReadAll(`SELECT count(*) AS n FROM main.${t}`)).getRowObjectsJS()[0].n);
    }
    c.closeSync();
    return rows;
  } finally {
    instance.closeSync();
  }
}

/**
 * The bench warehouse at `path` for this scale and seed: reused when its metadata matches, otherwise
 * generated (inside DuckDB, with the bench's own DuckDB settings) into `path.tmp` and renamed, so an
 * interrupted build never leaves a file that looks complete.
 */
export async function ensureBenchData(path: string, scale: number, seed: number, settings: DuckdbSettings): Promise<BenchDataInfo> {
  const units = unitCount(scale);
  const meta = await readMeta(path);
  if (meta && meta.scale === scale && meta.seed === seed && meta.version === GENERATOR_VERSION) {
    return { path, scale, seed, units, rows: await countRows(path), buildSeconds: 0, reused: true };
  }
  mkdirSync(dirname(path), { recursive: true });
  mkdirSync(settings.tempDirectory, { recursive: true });
  const tmp = `${path}.tmp`;
  rmSync(tmp, { force: true });
  rmSync(`${tmp}.wal`, { force: true });
  const t0 = performance.now();
  const instance = await DuckDBInstance.create(tmp, {
    threads: String(settings.threads),
    memory_limit: settings.memoryLimit,
    temp_directory: settings.tempDirectory,
    // Insertion order is irrelevant here and keeping it costs memory at scale 10.
    preserve_insertion_order: 'false',
  });
  try {
    const c = await instance.connect();
    for (const sql of [
      ...drawMacrosSql(seed),
      unitsSql(units),
      ...Object.values(TABLE_DDL),
      exposuresSql(),
      eventsSql(),
      metaSql(scale, seed, units),
      'DROP TABLE bench_units',
      'CHECKPOINT',
    ]) {
      await c.run(sql);
    }
    c.closeSync();
  } catch (e) {
    instance.closeSync();
    rmSync(tmp, { force: true });
    rmSync(`${tmp}.wal`, { force: true });
    throw e;
  }
  instance.closeSync();
  rmSync(`${path}.wal`, { force: true });
  renameSync(tmp, path);
  const buildSeconds = (performance.now() - t0) / 1000;
  return { path, scale, seed, units, rows: await countRows(path), buildSeconds, reused: false };
}
