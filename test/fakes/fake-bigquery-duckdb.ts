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
  answer: (sql: string, how?: { dryRun: boolean }) => Promise<FakeAnswer>;
  close: () => void;
}

/**
 * Answers from a read-only DuckDB file. The dry-run byte count is arbitrary but deterministic
 * (1000 bytes per character of SQL), so tests can predict it.
 */
export async function duckdbAnswers(path: string): Promise<DuckdbBackedAnswers> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const con: DuckDBConnection = await instance.connect();
  await con.run("SET TimeZone = 'UTC'");
  await installFakeFunctions(con, 'bigquery');
  return {
    async answer(sql, how) {
      const bytesProcessed = sql.length * 1000;
      // A dry run only prices the query; it does not run it (nor, here, translate it).
      if (how?.dryRun) return { fields: [], bytesProcessed };
      const catalogue = await bigqueryCatalogueAnswer(con, sql);
      if (catalogue) return { ...catalogue, bytesProcessed: 0 };
      const t = translateBigquery(sql);
      if (!t.sql) return { fields: [], bytesProcessed, error: { status: 400, reason: 'invalidQuery', message: `translation failed: ${t.error}` } };
      try {
        const reader = await con.runAndReadAll(t.sql);
        const types = reader.columnTypes().map((x) => bigqueryType(x.toString()));
        const fields = reader.columnNames().map((name, i) => ({ name, type: types[i] }));
        const rows = (reader.getRowsJson() as FakeValue[][]).map((r) => r.map((v, i) => (types[i] === 'TIMESTAMP' && typeof v === 'string' ? isoOf(v) : v)));
        return { fields, rows, bytesProcessed };
      } catch (e) {
        return { fields: [], bytesProcessed, error: { status: 400, reason: 'invalidQuery', message: String((e as Error).message).split('\n')[0] } };
      }
    },
    close() {
      con.closeSync();
      instance.closeSync();
    },
  };
}
