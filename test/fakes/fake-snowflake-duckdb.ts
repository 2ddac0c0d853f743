/**
 * FAKE Snowflake execution: runs the SQL a fake-snowflake-server receives on DuckDB, after
 * translating it with @polyglot-sql/sdk (snowflake -> duckdb), and encodes the result as
 * Snowflake's JSON rowset. Functions the translation gets wrong run as DuckDB macros with Snowflake's
 * documented semantics (fake-sql-functions.ts); test/warehouse/fake-snowflake-translation.test.ts keeps
 * the constructs checked against Snowflake's documented results, and TRANSLATION_GAPS what stays wrong.
 */
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { Dialect, transpile } from '@polyglot-sql/sdk';
import { installFakeFunctions, renameVendorFunctions, repairTranslation } from './fake-sql-functions.js';

/** One result column as Snowflake's rowtype describes it. */
export interface FakeColumn {
  name: string;
  type: 'fixed' | 'real' | 'text' | 'boolean' | 'timestamp_ntz' | 'timestamp_tz' | 'date';
  precision?: number;
  scale?: number;
}

/** A result in wire form: every cell is Snowflake's JSON text for it (or null). */
export interface FakeResult {
  columns: FakeColumn[];
  rows: (string | null)[][];
}

export class FakeSqlError extends Error {
  constructor(readonly code: string, message: string, readonly sqlState = '42000') {
    super(message);
  }
}

/**
 * Snowflake constructs the fake cannot give Snowflake's answer for. HASH is emitted (input
 * fingerprints only): its algorithm is proprietary and undocumented, so the fake uses DuckDB's hash()
 * and fingerprint hashes are per warehouse (results.json compares everything else).
 */
export const TRANSLATION_GAPS = [
  { construct: 'HASH', wrong: "Snowflake's HASH algorithm is not published; the fake keeps DuckDB's hash(), another 64-bit hash" },
  { construct: 'APPROX_PERCENTILE', wrong: 'left untranslated and fails; not emitted by exptrack (percentile uses exact PERCENTILE_CONT)' },
] as const;

/** polyglot's translation of the Snowflake SQL after renaming the listed functions (fake-sql-functions.ts), before repairs. */
export function rawTranslation(sql: string): string[] {
  const t = transpile(renameVendorFunctions(sql, 'snowflake'), Dialect.Snowflake, Dialect.DuckDB) as { success: boolean; sql: string[] | null; error: string | null };
  if (!t.success || !t.sql) throw new FakeSqlError('001003', `SQL compilation error: syntax error (fake translator: ${t.error ?? 'no output'})`);
  return t.sql;
}

export function translateToDuckdb(sql: string): string[] {
  return rawTranslation(sql).map((q) => repairTranslation(q, 'snowflake'));
}

/** Epoch microseconds -> Snowflake's "seconds.nanoseconds" text. */
function epochText(micros: bigint): string {
  const secs = micros >= 0n ? micros / 1_000_000n : -((-micros + 999_999n) / 1_000_000n);
  const frac = micros - secs * 1_000_000n;
  return `${secs}.${frac.toString().padStart(6, '0')}000`;
}

function columnOf(name: string, duckType: string): FakeColumn {
  const dec = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(duckType);
  if (dec) return { name, type: 'fixed', precision: Number(dec[1]), scale: Number(dec[2]) };
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/.test(duckType)) return { name, type: 'fixed', precision: 38, scale: 0 };
  if (duckType === 'DOUBLE' || duckType === 'FLOAT') return { name, type: 'real' };
  if (duckType === 'BOOLEAN') return { name, type: 'boolean' };
  if (duckType === 'TIMESTAMP WITH TIME ZONE') return { name, type: 'timestamp_tz', scale: 9 };
  if (duckType.startsWith('TIMESTAMP')) return { name, type: 'timestamp_ntz', scale: 9 };
  if (duckType === 'DATE') return { name, type: 'date' };
  return { name, type: 'text' };
}

function cellOf(value: unknown, column: FakeColumn): string | null {
  if (value === null || value === undefined) return null;
  switch (column.type) {
    case 'boolean':
      return value ? '1' : '0';
    case 'timestamp_ntz':
      return epochText((value as { micros: bigint }).micros);
    case 'timestamp_tz':
      // Snowflake's result version 1: "<seconds> <offset in minutes + 1440>"; DuckDB keeps UTC.
      return `${epochText((value as { micros: bigint }).micros)} 1440`;
    case 'date':
      return String((value as { days: number }).days);
    default:
      return String(value);
  }
}

/** Runs translated SQL on DuckDB; the last statement's result is the answer. */
export async function runOnDuckdb(connection: DuckDBConnection, sql: string): Promise<FakeResult> {
  let result: FakeResult = { columns: [], rows: [] };
  await installFakeFunctions(connection, 'snowflake');
  for (const statement of translateToDuckdb(sql)) {
    let reader;
    try {
      reader = await connection.runAndReadAll(statement);
    } catch (e) {
      const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
      const code = /does not exist|not found/i.test(message) ? '002003' : '000904';
      throw new FakeSqlError(code, `SQL compilation error: ${message}`);
    }
    const names = reader.columnNames();
    const columns = reader.columnTypes().map((t, i) => columnOf(names[i], t.toString()));
    result = { columns, rows: reader.getRows().map((r) => r.map((v, i) => cellOf(v, columns[i]))) };
  }
  return result;
}

/** The statement after its header comments, upper case, spaces collapsed. */
const verbOf = (sql: string) => sql.replace(/^(\s*--[^\n]*\n)*/, '').trim().replace(/;$/, '').trim().toUpperCase().replace(/\s+/g, ' ');

/**
 * Snowflake sessions on DuckDB: each session token gets a connection of its own on one (writable)
 * instance, so temporary tables and transactions are per session. BEGIN [TRANSACTION|WORK], COMMIT and
 * ROLLBACK run as DuckDB's; DDL (CTAS included) inside a transaction first commits it, as Snowflake
 * does, and is counted in `implicitCommits`, so a test can assert that a refresh never relied on it.
 */
export function duckdbSessions(instance: DuckDBInstance) {
  const sessions = new Map<string, { con: DuckDBConnection; inTransaction: boolean }>();
  const stats = { commits: 0, rollbacks: 0, implicitCommits: 0 };
  const empty: FakeResult = { columns: [{ name: 'status', type: 'text' }], rows: [['Statement executed successfully.']] };
  return {
    stats,
    async run(sql: string, token: string): Promise<FakeResult> {
      let s = sessions.get(token);
      if (!s) {
        const con = await instance.connect();
        await con.run("SET TimeZone = 'UTC'");
        sessions.set(token, (s = { con, inTransaction: false }));
      }
      const verb = verbOf(sql);
      if (/^BEGIN( TRANSACTION| WORK)?$|^START TRANSACTION$/.test(verb)) {
        // Snowflake ignores a BEGIN inside a transaction; so does the fake.
        if (!s.inTransaction) await s.con.run('BEGIN TRANSACTION');
        s.inTransaction = true;
        return empty;
      }
      if (/^(COMMIT|ROLLBACK)( WORK)?$/.test(verb)) {
        // Without an open transaction both succeed and do nothing, as on Snowflake.
        if (s.inTransaction) {
          await s.con.run(verb.startsWith('COMMIT') ? 'COMMIT' : 'ROLLBACK');
          if (verb.startsWith('COMMIT')) stats.commits++;
          else stats.rollbacks++;
        }
        s.inTransaction = false;
        return empty;
      }
      if (s.inTransaction && /^(CREATE|DROP|ALTER)\b/.test(verb)) {
        await s.con.run('COMMIT');
        s.inTransaction = false;
        stats.implicitCommits++;
      }
      return runOnDuckdb(s.con, sql);
    },
    async end(token: string): Promise<void> {
      const s = sessions.get(token);
      if (!s) return;
      sessions.delete(token);
      if (s.inTransaction) {
        await s.con.run('ROLLBACK').catch(() => undefined);
        stats.rollbacks++;
      }
      s.con.closeSync();
    },
    /** Sessions with a connection (for a test to end those of a killed client, as the warehouse would). */
    open(): string[] {
      return [...sessions.keys()];
    },
    close(): void {
      for (const s of sessions.values()) s.con.closeSync();
      sessions.clear();
    },
  };
}
