// Lets the fake BigQuery server answer with real rows: the GoogleSQL it receives is translated to
// DuckDB by @polyglot-sql/sdk and run on a DuckDB database. The translation is not exact; what it
// gets wrong is listed in TRANSLATION_GAPS (and checked by bigquery-translation.test.ts) instead of
// bending exptrack's SQL to it. A query that hits a gap fails here with the DuckDB error.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { Dialect, transpile } from '@polyglot-sql/sdk';
import type { FakeAnswer, FakeValue } from './fake-bigquery-server.js';
import { bigqueryCatalogueAnswer } from './fake-catalogue-answers.js';

/** Constructs exptrack's BigQuery SQL uses that the bigquery -> duckdb translation gets wrong. */
export const TRANSLATION_GAPS = [
  {
    construct: 'ARRAY_AGG(IF(o IS NULL, NULL, v) IGNORE NULLS ORDER BY o LIMIT 1)[SAFE_OFFSET(0)] (first_by)',
    wrong: 'kept as is; DuckDB has no LIMIT inside an aggregate, so the query fails to parse',
  },
  {
    construct: 'APPROX_QUANTILES (percentile)',
    wrong: "becomes DuckDB's approx_quantile, a different approximation: caps, and so capped sums, differ from BigQuery's (both are approximate)",
  },
  {
    construct: 'CAST(x AS NUMERIC) (exact_decimal)',
    wrong: 'becomes CAST(x AS DECIMAL), which DuckDB reads as DECIMAL(18,3): digits past the third decimal are rounded away (BigQuery NUMERIC keeps 9)',
  },
] as const;

/**
 * Gaps the fake repairs in the translation's output so our (correct) GoogleSQL can run on it; each is
 * checked by bigquery-translation.test.ts to be wrong without the repair.
 */
export const TRANSLATION_REPAIRS = [
  // TIMESTAMP_ADD(ts, INTERVAL -3600 SECOND) becomes `+ INTERVAL -3600 SECOND`, a DuckDB syntax error.
  { construct: 'TIMESTAMP_ADD with negative seconds (ts_add_seconds)', from: /INTERVAL (-\d+) SECOND/g, to: 'INTERVAL ($1) SECOND' },
  // FARM_FINGERPRINT has no DuckDB counterpart: the fake substitutes DuckDB's hash() so the fingerprints
  // step runs, but its content hashes are DuckDB's, not BigQuery's (tests compare everything else).
  { construct: 'FARM_FINGERPRINT (hash64)', from: /\bFARM_FINGERPRINT\(/gi, to: 'hash(' },
  // DATE(ts, 'UTC') becomes CAST(STRPTIME(ts, 'UTC') AS DATE), which DuckDB rejects for a TIMESTAMP.
  { construct: "DATE(ts, 'UTC') (date_day)", from: /CAST\(STRPTIME\(("[^"]+"\."[^"]+"), 'UTC'\) AS DATE\)/g, to: 'CAST($1 AS DATE)' },
] as const;

export function translateBigquery(sql: string): { sql: string | null; raw: string | null; error: string | null } {
  const t = transpile(sql, Dialect.BigQuery, Dialect.DuckDB);
  if (!t.success || !t.sql?.[0]) return { sql: null, raw: null, error: String(t.error) };
  const raw = t.sql[0];
  return { raw, sql: TRANSLATION_REPAIRS.reduce<string>((acc, r) => acc.replace(r.from, r.to), raw), error: null };
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
