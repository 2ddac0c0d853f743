// The FAKE Snowflake runs SQL on DuckDB after @polyglot-sql/sdk translates it, with the functions the
// translation gets wrong renamed to DuckDB macros of Snowflake's semantics (fake-sql-functions.ts).
// This test keeps each construct checked against the value Snowflake documents, and the ones still
// wrong (TRANSLATION_GAPS) failing, so the fake's blind spots are known (README: what the fakes cannot show). Our SQL is not
// bent to the translator: a construct listed as wrong stays in the Snowflake partials when it is
// right for Snowflake. If a translator upgrade fixes one, this test fails and the list is updated.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawTranslation, runOnDuckdb, translateToDuckdb } from '../fakes/fake-snowflake-duckdb.js';

const FOUR_ROWS = 'FROM (SELECT 1 AS v, 4 AS o UNION ALL SELECT 2, 3 UNION ALL SELECT 3, 2 UNION ALL SELECT 4, 1) AS t';
const TS = (s: string) => `'${s}'::TIMESTAMP_NTZ`;

interface Construct {
  name: string;
  sql: string;
  /** What Snowflake returns, in its JSON wire form (seconds.nanos for timestamps, days for dates). */
  snowflake: (cell: string | null) => boolean;
  expected: string;
  /** Does the translation (snowflake -> duckdb) give Snowflake's answer? */
  translatedCorrectly: boolean;
  /** Wrong in polyglot's raw output, repaired by the fake (TRANSLATION_REPAIRS). */
  repaired?: boolean;
}

const CONSTRUCTS: Construct[] = [
  { name: "DATEDIFF('second', …)", sql: `SELECT DATEDIFF('second', ${TS('2026-11-01 00:00:00')}, ${TS('2026-11-01 00:01:30')})`, expected: '90', snowflake: (c) => c === '90', translatedCorrectly: true },
  { name: 'DATEDIFF(second, …) counts boundaries', sql: `SELECT DATEDIFF(second, ${TS('2026-11-01 00:00:00.900')}, ${TS('2026-11-01 00:00:01.100')})`, expected: '1', snowflake: (c) => c === '1', translatedCorrectly: true },
  // The ts_diff_seconds partial: whole seconds elapsed (truncated), as BigQuery's TIMESTAMP_DIFF and DuckDB count them.
  { name: 'ts_diff_seconds partial: TRUNC(DATEDIFF(microsecond) / 1e6)', sql: `SELECT TRUNC(DATEDIFF('microsecond', ${TS('2026-11-01 00:00:00.900')}, ${TS('2026-11-01 00:00:01.100')}) / 1000000)`, expected: '0', snowflake: (c) => Number(c) === 0, translatedCorrectly: true },
  { name: 'HASH (signed 64-bit)', sql: "SELECT HASH('a')", expected: 'a signed 64-bit integer', snowflake: (c) => c !== null && BigInt(c) < 2n ** 63n && BigInt(c) >= -(2n ** 63n), translatedCorrectly: false },
  { name: 'BITXOR_AGG', sql: `SELECT BITXOR_AGG(o) AS v ${FOUR_ROWS}`, expected: '4', snowflake: (c) => c === '4', translatedCorrectly: true },
  { name: "DATEADD('second', negative, …)", sql: `SELECT DATEADD('second', -3600, ${TS('2026-11-01 00:00:00')})`, expected: '2026-10-31 23:00:00', snowflake: (c) => c === '1793487600.000000000', translatedCorrectly: true, repaired: true },
  { name: "TO_NUMBER(hex, 'XXXXXXXX')", sql: "SELECT TO_NUMBER(LEFT(MD5('a'), 8), 'XXXXXXXX')", expected: '214005177', snowflake: (c) => c === '214005177', translatedCorrectly: true, repaired: false },
  { name: 'APPROX_PERCENTILE', sql: `SELECT APPROX_PERCENTILE(v, 0.5) AS v ${FOUR_ROWS}`, expected: 'about 2.5', snowflake: (c) => c !== null && Math.abs(Number(c) - 2.5) <= 0.5, translatedCorrectly: false },
  { name: "DATEADD('second', positive, …)", sql: `SELECT DATEADD('second', 3600, ${TS('2026-11-01 00:00:00')})`, expected: '2026-11-01 01:00:00', snowflake: (c) => c === '1793494800.000000000', translatedCorrectly: true },
  { name: "DATEDIFF('day', …) counts boundaries", sql: `SELECT DATEDIFF('day', ${TS('2026-11-01 23:59:59')}, ${TS('2026-11-02 00:00:01')})`, expected: '1', snowflake: (c) => c === '1', translatedCorrectly: true },
  { name: 'MIN_BY', sql: `SELECT MIN_BY(v, o) AS v ${FOUR_ROWS}`, expected: '4', snowflake: (c) => c === '4', translatedCorrectly: true },
  { name: 'PERCENTILE_CONT … WITHIN GROUP', sql: `SELECT PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY v) AS v ${FOUR_ROWS}`, expected: '2.5', snowflake: (c) => Number(c) === 2.5, translatedCorrectly: true },
  { name: 'safe division by NULLIF', sql: 'SELECT CAST(1 AS DOUBLE) / NULLIF(CAST(0 AS DOUBLE), 0)', expected: 'NULL', snowflake: (c) => c === null, translatedCorrectly: true },
  { name: "CONVERT_TIMEZONE('UTC', …) to DATE", sql: `SELECT CAST(CONVERT_TIMEZONE('UTC', ${TS('2026-11-01 23:30:00')}) AS DATE)`, expected: '2026-11-01', snowflake: (c) => c === '20758', translatedCorrectly: true },
  { name: 'backslash escape in a string', sql: "SELECT 'a\\\\b''c'", expected: "a\\b'c", snowflake: (c) => c === "a\\b'c", translatedCorrectly: true },
  { name: 'NUMBER(38, 6)', sql: 'SELECT CAST(1.5 AS NUMBER(38, 6))', expected: '1.500000', snowflake: (c) => c === '1.500000', translatedCorrectly: true },
];

describe('the fake Snowflake translation (snowflake -> duckdb): known wrong constructs', () => {
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;
  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
    await connection.run("SET TimeZone = 'UTC'");
  });
  afterAll(() => {
    connection?.closeSync();
    instance?.closeSync();
  });

  it.each(CONSTRUCTS.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const outcome = await runOnDuckdb(connection, c.sql.includes(' AS v ') ? c.sql : `${c.sql} AS v`).then(
      (r) => ({ ok: true as const, cell: r.rows[0][0] }),
      (e: unknown) => ({ ok: false as const, error: String(e) }),
    );
    const matches = outcome.ok && c.snowflake(outcome.cell);
    // Listed as wrong: the fake must still get it wrong (else update the list and the README).
    expect(matches, `${c.name}: expected Snowflake's ${c.expected}, fake gave ${JSON.stringify(outcome)}`).toBe(c.translatedCorrectly);
    // A repaired construct is wrong without the repair: the repair is needed, and the list stays honest.
    if (c.repaired) expect(rawTranslation(c.sql)).not.toEqual(translateToDuckdb(c.sql));
  });
});
