import { existsSync } from 'node:fs';
import { basename, isAbsolute, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { WarehouseError, type Adapter, type Cell, type QueryContext, type Row } from '../types.js';
import type { DuckdbConfig } from './config.js';
import { DUCKDB_STATE_CATALOG, duckdbDialect } from './dialect.js';

function normalize(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}

export function databasePath(config: DuckdbConfig, projectRoot: string): string {
  return isAbsolute(config.path) ? config.path : resolve(projectRoot, config.path);
}

/**
 * Attaches the source under the name DuckDB would give it when opened directly (its file stem), so
 * table references such as main.events resolve as before, and the state file as exptrack_state.
 * The attach takes DuckDB's file lock on the state file: a second process refreshing the same
 * state waits for nothing and fails at once with a lock error.
 */
async function attachStateFile(connection: DuckDBConnection, sourcePath: string, statePath: string): Promise<string> {
  const q = duckdbDialect.quoteIdentifier;
  const lit = duckdbDialect.stringLiteral;
  const alias = basename(sourcePath).replace(/\.[^.]*$/, '');
  await connection.run(`ATTACH ${lit(sourcePath)} AS ${q(alias)} (READ_ONLY)`);
  await connection.run(`USE ${q(alias)}`);
  await connection.run(`ATTACH ${lit(statePath)} AS ${q(DUCKDB_STATE_CATALOG)}`);
  return `USE ${q(alias)}`;
}

export async function openDuckdb(config: DuckdbConfig, projectRoot: string, targetName = 'duckdb', writeSchema?: string): Promise<Adapter> {
  const path = databasePath(config, projectRoot);
  if (!existsSync(path)) {
    throw new WarehouseError(`database file ${config.path} does not exist (build the demo data with \`exptrack demo --data-only\`, or fix the target's path)`, {
      target: targetName,
      experiment: '-',
      step: 'connect',
    });
  }
  // Read-only: runs only read, and read-only lets several processes run at once. With a write_schema
  // (a state file), an in-memory session attaches the source read-only and the state file read-write,
  // so the source is never written either way.
  const options: Record<string, string> = writeSchema ? {} : { access_mode: 'READ_ONLY' };
  if (config.threads !== undefined) options.threads = String(config.threads);
  if (config.memory_limit !== undefined) options.memory_limit = config.memory_limit;
  if (config.temp_directory !== undefined) options.temp_directory = resolve(projectRoot, config.temp_directory);
  const instance = await DuckDBInstance.create(writeSchema ? ':memory:' : path, options);
  let connection: DuckDBConnection;
  // What a further connection of this instance runs first: attachments are the instance's, the
  // current catalog and the time zone are each connection's own.
  const session: string[] = [];
  try {
    connection = await instance.connect();
    if (writeSchema) session.push(await attachStateFile(connection, path, resolve(projectRoot, writeSchema)));
    // Literals are UTC wall-clock timestamps; TIMESTAMPTZ columns must compare in UTC too, not in
    // whatever zone the machine happens to be in.
    session.push("SET TimeZone = 'UTC'");
    await connection.run(session[session.length - 1]);
  } catch (e) {
    instance.closeSync();
    throw new WarehouseError(`could not open ${config.path}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`, { target: targetName, experiment: '-', step: 'connect' }, 'connection');
  }
  const runOn = async (conn: DuckDBConnection, sql: string, ctx: QueryContext): Promise<Row[]> => {
    const where = { target: targetName, experiment: ctx.experiment, step: ctx.step };
    if (ctx.signal?.aborted) throw new WarehouseError('cancelled before the query started', where, 'cancelled');
    // Ctrl-C (or the caller) interrupts the query inside DuckDB rather than waiting for it.
    const onAbort = () => conn.interrupt();
    ctx.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const reader = await conn.runAndReadAll(sql);
      return reader.getRowObjectsJS().map((r) => {
        const row: Row = {};
        for (const [k, v] of Object.entries(r)) row[k] = normalize(v);
        return row;
      });
    } catch (e) {
      if (ctx.signal?.aborted) throw new WarehouseError('cancelled: the query was interrupted', where, 'cancelled');
      const message = e instanceof Error ? e.message : String(e);
      throw new WarehouseError(message.split('\n')[0], where, /Catalog Error: Table .* does not exist/.test(message) ? 'not_found' : /Parser Error/.test(message) ? 'syntax' : 'other');
    } finally {
      ctx.signal?.removeEventListener('abort', onAbort);
    }
  };
  const adapter: Adapter = {
    query: (sql, ctx) => runOn(connection, sql, ctx),
    async transaction(ctx, fn) {
      // A connection of its own: with --concurrency, other experiments' queries on the shared
      // connection would otherwise run inside this transaction, and one failing would abort it.
      const conn = await instance.connect();
      try {
        for (const sql of session) await conn.run(sql);
        const run = async (sql: string, step: string) => runOn(conn, sql, { ...ctx, step });
        await conn.run('BEGIN TRANSACTION');
        try {
          const out = await fn(run);
          await conn.run('COMMIT');
          return out;
        } catch (e) {
          await conn.run('ROLLBACK').catch(() => undefined);
          throw e;
        }
      } finally {
        conn.closeSync();
      }
    },
    async close() {
      // Closing the instance does not fold the state file's write-ahead log into it: checkpoint, so the
      // state file alone holds the committed state (a copy or backup of it is then whole).
      if (writeSchema) await connection.run(`CHECKPOINT ${duckdbDialect.quoteIdentifier(DUCKDB_STATE_CATALOG)}`).catch(() => undefined);
      connection.closeSync();
      instance.closeSync();
    },
  };
  return adapter;
}
