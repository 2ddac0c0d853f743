// Lets the fake BigQuery server answer with real rows: the GoogleSQL it receives is translated to
// DuckDB by @polyglot-sql/sdk and run on a DuckDB database. Where the translation is wrong, the
// vendor function is renamed to a DuckDB macro or function with BigQuery's documented semantics, a
// type is rewritten, or the output repaired (fake-sql-functions.ts, each tested against BigQuery's
// documentation). What still cannot be made faithful is listed in TRANSLATION_GAPS and the README.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { Dialect, transpile } from '@polyglot-sql/sdk';
import type { FakeAnswer, FakeValue } from './fake-bigquery-server.js';
import { installFakeFunctions, renameVendorFunctions, repairTranslation } from './fake-sql-functions.js';
import { bigqueryCatalogueAnswer } from './fake-catalogue-answers.js';

/** BigQuery constructs the fake cannot give BigQuery's answer for (none is emitted by exptrack today). */
export const TRANSLATION_GAPS = [
  {
    construct: 'APPROX_QUANTILES',
    wrong: "becomes DuckDB's approx_quantile; BigQuery's approximation algorithm is not published, so no fake can reproduce its values. exptrack's percentile partial uses exact PERCENTILE_CONT instead",
  },
] as const;

export function translateBigquery(sql: string): { sql: string | null; raw: string | null; error: string | null } {
  const t = transpile(renameVendorFunctions(sql, 'bigquery'), Dialect.BigQuery, Dialect.DuckDB);
  if (!t.success || !t.sql?.[0]) return { sql: null, raw: null, error: String(t.error) };
  const raw = t.sql[0];
  return { raw, sql: repairTranslation(raw, 'bigquery'), error: null };
}

/** Runs GoogleSQL on a DuckDB connection the way the fake does (for tests of single constructs). */
export async function runBigqueryOnDuckdb(con: DuckDBConnection, sql: string): Promise<unknown[][]> {
  await installFakeFunctions(con, 'bigquery');
  const t = translateBigquery(sql);
  if (!t.sql) throw new Error(`translation failed: ${t.error}`);
  return (await con.runAndReadAll(t.sql)).getRowsJson() as unknown[][];
}

function bigqueryType(duckdbType: string): string {
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)$/.test(duckdbType)) return 'INTEGER';
  if (duckdbType.startsWith('DECIMAL')) return 'NUMERIC';
  if (/^(FLOAT|DOUBLE|REAL)$/.test(duckdbType)) return 'FLOAT';
  if (duckdbType.startsWith('TIMESTAMP')) return 'TIMESTAMP';
  if (duckdbType === 'BOOLEAN') return 'BOOLEAN';
  if (duckdbType === 'DATE') return 'DATE';
  return 'STRING';
}

/** DuckDB's JSON text of a timestamp ('2026-10-04 12:00:00.5' or '…+00') -> ISO instant. */
function isoOf(text: string): string {
  const t = text.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00');
  return new Date(/[zZ]|[+-]\d\d:\d\d$/.test(t) ? t : `${t}Z`).toISOString();
}

export interface DuckdbBackedAnswers {
  answer: (sql: string, how?: { dryRun: boolean; sessionId?: string }) => Promise<FakeAnswer>;
  /** Ends a session (FakeBigqueryServer's onSessionEnd): an open transaction is rolled back, TEMP tables go. */
  endSession: (sessionId: string) => Promise<void>;
  /** The connection answering outside sessions (writable answers: for loading data between runs). */
  connection: DuckDBConnection;
  /** Transactions committed and rolled back, by statement or by a failing statement or session end. */
  stats: { commits: number; rollbacks: number };
  close: () => void;
}

/** The statement after its header comments. */
const bare = (sql: string) => sql.replace(/^(\s*--[^\n]*\n)*/, '').trim().replace(/;$/, '').trim();

/**
 * BigQuery's rule for multi-statement transactions: inside one, DDL may create or drop only TEMP
 * tables (and functions); DDL on permanent tables, datasets or views is rejected. exptrack's temporary
 * tables are the only unqualified names it creates or drops, so a dotted name is a permanent one.
 */
export function permanentDdl(sql: string): boolean {
  const s = bare(sql);
  if (/^CREATE\s+(OR\s+REPLACE\s+)?TEMP(ORARY)?\s+TABLE\b/i.test(s)) return false;
  if (/^DROP\s+TABLE\s+(IF\s+EXISTS\s+)?`?[A-Za-z0-9_]+`?\s*$/i.test(s)) return false;
  return /^(CREATE|DROP|ALTER)\b/i.test(s);
}

/**
 * Answers from a DuckDB file: read-only, or (writable: a copy the test owns) read-write with each
 * BigQuery session on a DuckDB connection of its own, so TEMP tables and transactions are per session
 * as on BigQuery. The dry-run byte count is arbitrary but deterministic (1000 bytes per character of
 * SQL), so tests can predict it.
 */
export async function duckdbAnswers(path: string, opts: { writable?: boolean } = {}): Promise<DuckdbBackedAnswers> {
  const instance = await DuckDBInstance.create(path, opts.writable ? {} : { access_mode: 'READ_ONLY' });
  const open = async () => {
    const c = await instance.connect();
    await c.run("SET TimeZone = 'UTC'");
    await installFakeFunctions(c, 'bigquery');
    return c;
  };
  const con: DuckDBConnection = await open();
  const sessions = new Map<string, { con: DuckDBConnection; inTransaction: boolean }>();
  const stats = { commits: 0, rollbacks: 0 };
  const fail = (bytesProcessed: number, message: string): FakeAnswer => ({ fields: [], bytesProcessed, error: { status: 400, reason: 'invalidQuery', message } });
  return {
    connection: con,
    stats,
    async endSession(id) {
      const s = sessions.get(id);
      if (!s) return;
      sessions.delete(id);
      if (s.inTransaction) {
        await s.con.run('ROLLBACK');
        stats.rollbacks++;
      }
      s.con.closeSync();
    },
    async answer(sql, how) {
      const bytesProcessed = sql.length * 1000;
      // A dry run only prices the query; it does not run it (nor, here, translate it).
      if (how?.dryRun) return { fields: [], bytesProcessed };
      let session: { con: DuckDBConnection; inTransaction: boolean } | undefined;
      if (how?.sessionId) {
        session = sessions.get(how.sessionId);
        if (!session) sessions.set(how.sessionId, (session = { con: await open(), inTransaction: false }));
        const verb = bare(sql).toUpperCase().replace(/\s+/g, ' ');
        const tx = { 'BEGIN TRANSACTION': 'BEGIN TRANSACTION', 'COMMIT TRANSACTION': 'COMMIT', 'ROLLBACK TRANSACTION': 'ROLLBACK' }[verb];
        if (tx) {
          if ((tx === 'BEGIN TRANSACTION') === session.inTransaction) return fail(bytesProcessed, tx === 'BEGIN TRANSACTION' ? 'Transaction already started' : 'There is no active transaction');
          await session.con.run(tx);
          session.inTransaction = tx === 'BEGIN TRANSACTION';
          if (tx === 'COMMIT') stats.commits++;
          if (tx === 'ROLLBACK') stats.rollbacks++;
          return { fields: [], rows: [], bytesProcessed: 0 };
        }
        if (session.inTransaction && permanentDdl(sql)) {
          // BigQuery fails the statement and, with no exception handler, rolls the transaction back.
          await session.con.run('ROLLBACK');
          session.inTransaction = false;
          stats.rollbacks++;
          return fail(bytesProcessed, 'DDL statements on permanent entities are not supported inside a multi-statement transaction');
        }
      }
      const c = session?.con ?? con;
      const catalogue = await bigqueryCatalogueAnswer(c, sql);
      if (catalogue) return { ...catalogue, bytesProcessed: 0 };
      const t = translateBigquery(sql);
      if (!t.sql) return { fields: [], bytesProcessed, error: { status: 400, reason: 'invalidQuery', message: `translation failed: ${t.error}` } };
      try {
        const reader = await c.runAndReadAll(t.sql);
        const types = reader.columnTypes().map((x) => bigqueryType(x.toString()));
        const fields = reader.columnNames().map((name, i) => ({ name, type: types[i] }));
        const rows = (reader.getRowsJson() as FakeValue[][]).map((r) => r.map((v, i) => (types[i] === 'TIMESTAMP' && typeof v === 'string' ? isoOf(v) : v)));
        return { fields, rows, bytesProcessed };
      } catch (e) {
        // A failing statement ends the session's open transaction, rolled back, as on BigQuery.
        if (session?.inTransaction) {
          await session.con.run('ROLLBACK').catch(() => undefined);
          session.inTransaction = false;
          stats.rollbacks++;
        }
        return { fields: [], bytesProcessed, error: { status: 400, reason: 'invalidQuery', message: String((e as Error).message).split('\n')[0] } };
      }
    },
    close() {
      for (const s of sessions.values()) s.con.closeSync();
      con.closeSync();
      instance.closeSync();
    },
  };
}
