// The fakes' vendor functions (test/fakes/fake-sql-functions.ts) and the other constructs exptrack
// emits, run through each fake's whole path (vendor SQL -> rename -> translate -> repair -> DuckDB)
// on the examples of the vendor's own documentation page, cited per case. Expected values are the
// documentation's; where an example uses a table, the table is the documentation's data.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBigqueryOnDuckdb } from '../fakes/fake-bigquery-duckdb.js';
import { runOnDuckdb } from '../fakes/fake-snowflake-duckdb.js';
import { FAKE_FUNCTIONS, FAKE_REPAIRS, FAKE_TYPES, repairTranslation, type FakeDialect } from '../fakes/fake-sql-functions.js';

interface DocExample {
  dialect: FakeDialect;
  /** What the example exercises: a FAKE_FUNCTIONS vendor name, or another emitted construct. */
  construct: string;
  docs: string;
  sql: string;
  /** The documented result, one array per row, as text (NULL as null). */
  expected: (string | null)[][];
}

const BQ_FARM = 'https://cloud.google.com/bigquery/docs/reference/standard-sql/hash_functions#farm_fingerprint';
const BQ_AGG = 'https://cloud.google.com/bigquery/docs/reference/standard-sql/aggregate_functions';
const BQ_NAV = 'https://cloud.google.com/bigquery/docs/reference/standard-sql/navigation_functions#percentile_cont';
const BQ_TS = 'https://cloud.google.com/bigquery/docs/reference/standard-sql/timestamp_functions';
const SF_EMPLOYEES = `FROM (SELECT 1001 AS employee_id, 10 AS department_id, 10000 AS salary UNION ALL SELECT 1020, 10, 9000 UNION ALL SELECT 1030, 10, 8000
  UNION ALL SELECT 900, 20, 15000 UNION ALL SELECT 2000, 20, NULL UNION ALL SELECT 2010, 20, 15000 UNION ALL SELECT 2020, 20, 8000) AS employees`;

const EXAMPLES: DocExample[] = [
  {
    dialect: 'bigquery',
    construct: 'FARM_FINGERPRINT',
    docs: BQ_FARM,
    sql: `WITH example AS (SELECT 1 AS x, "foo" AS y, true AS z UNION ALL SELECT 2 AS x, "apple" AS y, false AS z UNION ALL SELECT 3 AS x, "" AS y, true AS z)
      SELECT FARM_FINGERPRINT(CONCAT(CAST(x AS STRING), y, CAST(z AS STRING))) AS row_fingerprint FROM example ORDER BY x`,
    expected: [['-1541654101129638711'], ['2794438866806483259'], ['-4880158226897771312']],
  },
  {
    dialect: 'bigquery',
    construct: 'MIN_BY',
    docs: `${BQ_AGG}#min_by`,
    sql: `WITH fruits AS (SELECT "apple" fruit, 3.55 price UNION ALL SELECT "banana" fruit, 2.10 price UNION ALL SELECT "pear" fruit, 4.30 price)
      SELECT MIN_BY(fruit, price) AS fruit FROM fruits`,
    expected: [['banana']],
  },
  {
    // ANY_VALUE(x HAVING MIN y): the rows with the least y are kept first, and a NULL x among them is not replaced by a later row's x.
    dialect: 'bigquery',
    construct: 'MIN_BY',
    docs: `${BQ_AGG}#any_value`,
    sql: `WITH t AS (SELECT CAST(NULL AS STRING) AS x, 1 AS y UNION ALL SELECT "later", 2 UNION ALL SELECT "no order", NULL) SELECT MIN_BY(x, y) AS v FROM t`,
    expected: [[null]],
  },
  {
    dialect: 'bigquery',
    construct: 'CONCAT',
    docs: 'https://cloud.google.com/bigquery/docs/reference/standard-sql/string_functions#concat',
    // "If any input argument is NULL, the function returns NULL."
    sql: "SELECT CONCAT('T.P.', ' ', 'Bar') AS author, CONCAT('a', CAST(NULL AS STRING)) AS with_null",
    expected: [['T.P. Bar', null]],
  },
  {
    dialect: 'bigquery',
    construct: 'DATE',
    docs: 'https://cloud.google.com/bigquery/docs/reference/standard-sql/date_functions#date',
    sql: `SELECT DATE(2016, 12, 25) AS date_ymd, DATE(TIMESTAMP '2016-12-25 05:30:00+07', 'America/Los_Angeles') AS date_tstz`,
    expected: [['2016-12-25', '2016-12-24']],
  },
  {
    dialect: 'bigquery',
    construct: 'PERCENTILE_CONT',
    docs: BQ_NAV,
    sql: `SELECT PERCENTILE_CONT(x, 0) OVER () AS min, PERCENTILE_CONT(x, 0.01) OVER () AS percentile1, PERCENTILE_CONT(x, 0.5) OVER () AS median,
      PERCENTILE_CONT(x, 0.9) OVER () AS percentile90, PERCENTILE_CONT(x, 1) OVER () AS max
      FROM (SELECT 0 AS x UNION ALL SELECT 3 UNION ALL SELECT NULL UNION ALL SELECT 1 UNION ALL SELECT 2) AS t LIMIT 1`,
    expected: [['0', '0.03', '1.5', '2.7', '3']],
  },
  {
    dialect: 'bigquery',
    construct: 'TIMESTAMP_DIFF',
    docs: `${BQ_TS}#timestamp_diff`,
    sql: `SELECT TIMESTAMP_DIFF(TIMESTAMP "2010-07-07 10:20:00+00", TIMESTAMP "2008-12-25 15:30:00+00", HOUR) AS hours,
      TIMESTAMP_DIFF(TIMESTAMP "2001-02-01 01:00:00", TIMESTAMP "2001-02-01 00:00:01", HOUR) AS diff,
      TIMESTAMP_DIFF(TIMESTAMP "2018-08-14", TIMESTAMP "2018-10-14", DAY) AS negative_diff`,
    expected: [['13410', '0', '-61']],
  },
  {
    dialect: 'bigquery',
    construct: 'TIMESTAMP_ADD',
    docs: `${BQ_TS}#timestamp_add`,
    sql: `SELECT CAST(TIMESTAMP_ADD(TIMESTAMP "2008-12-25 15:30:00+00", INTERVAL 10 MINUTE) AS STRING) AS later,
      CAST(TIMESTAMP_ADD(TIMESTAMP "2008-12-25 15:30:00+00", INTERVAL -600 SECOND) AS STRING) AS earlier`,
    expected: [['2008-12-25 15:40:00+00', '2008-12-25 15:20:00+00']],
  },
  {
    dialect: 'bigquery',
    construct: 'NUMERIC',
    docs: 'https://cloud.google.com/bigquery/docs/reference/standard-sql/data-types#decimal_types',
    sql: `SELECT CAST('1.234567891' AS NUMERIC) AS nine_places, CAST('99999999999999999999999999999.999999999' AS NUMERIC) AS max_numeric,
      SUM(CAST(v AS NUMERIC)) AS exact_sum FROM (SELECT '0.000000001' AS v UNION ALL SELECT '0.1') AS t`,
    expected: [['1.234567891', '99999999999999999999999999999.999999999', '0.100000001']],
  },
  {
    dialect: 'bigquery',
    construct: 'BIT_XOR',
    docs: `${BQ_AGG}#bit_xor`,
    sql: 'SELECT BIT_XOR(x) AS bit_xor FROM (SELECT 5678 AS x UNION ALL SELECT 1234) AS t',
    expected: [['4860']],
  },
  {
    dialect: 'bigquery',
    construct: 'SAFE_DIVIDE',
    docs: 'https://cloud.google.com/bigquery/docs/reference/standard-sql/mathematical_functions#safe_divide',
    sql: 'SELECT SAFE_DIVIDE(20, 4) AS a, SAFE_DIVIDE(0, 20) AS b, SAFE_DIVIDE(20, 0) AS c',
    expected: [['5', '0', null]],
  },
  {
    dialect: 'snowflake',
    construct: 'MIN_BY',
    docs: 'https://docs.snowflake.com/en/sql-reference/functions/min_by',
    // The page's employees table; NULL salaries are ignored.
    sql: `SELECT department_id, MIN_BY(employee_id, salary) AS v ${SF_EMPLOYEES} GROUP BY department_id ORDER BY department_id`,
    expected: [['10', '1030'], ['20', '2020']],
  },
  {
    dialect: 'snowflake',
    construct: 'DATEDIFF',
    docs: 'https://docs.snowflake.com/en/sql-reference/functions/datediff',
    sql: `SELECT DATEDIFF(year, '2010-04-09 14:39:20'::TIMESTAMP, '2013-05-08 23:39:20'::TIMESTAMP) AS diff_years,
      DATEDIFF(hour, '2013-05-08T23:39:20.123'::TIMESTAMP, DATEADD(year, 2, ('2013-05-08T23:39:20.123')::TIMESTAMP)) AS diff_hours,
      DATEDIFF('second', '2026-11-01 00:00:00'::TIMESTAMP_NTZ, '2026-11-01 00:01:30'::TIMESTAMP_NTZ) AS diff_seconds`,
    expected: [['3', '17520', '90']],
  },
  {
    // Format models: "X: hexadecimal digit" (https://docs.snowflake.com/en/sql-reference/sql-format-models).
    dialect: 'snowflake',
    construct: 'TO_NUMBER',
    docs: 'https://docs.snowflake.com/en/sql-reference/functions/to_decimal',
    sql: "SELECT TO_NUMBER('ae5', 'XXX') AS a, TO_NUMBER('ffffffffffffffff', 'XXXXXXXXXXXXXXXX') AS b, TO_NUMBER('12') AS c",
    expected: [['2789', '18446744073709551615', '12']],
  },
  {
    dialect: 'snowflake',
    construct: 'BITXOR_AGG',
    docs: 'https://docs.snowflake.com/en/sql-reference/functions/bitxor_agg',
    sql: 'SELECT BITXOR_AGG(x) AS v FROM (SELECT 5678 AS x UNION ALL SELECT 1234) AS t',
    expected: [['4860']],
  },
  {
    dialect: 'snowflake',
    construct: 'PERCENTILE_CONT',
    docs: 'https://docs.snowflake.com/en/sql-reference/functions/percentile_cont',
    sql: `SELECT k, PERCENTILE_CONT(0.25) WITHIN GROUP (ORDER BY v) AS p FROM (SELECT 0 AS k, 0 AS v UNION ALL SELECT 0, 10 UNION ALL SELECT 0, 20
      UNION ALL SELECT 0, 30 UNION ALL SELECT 0, 40 UNION ALL SELECT 1, 10 UNION ALL SELECT 1, 20 UNION ALL SELECT 2, 10 UNION ALL SELECT 2, 20
      UNION ALL SELECT 2, 25 UNION ALL SELECT 2, 30 UNION ALL SELECT 3, 60 UNION ALL SELECT 4, NULL) AS aggr GROUP BY k ORDER BY k`,
    expected: [['0', '10'], ['1', '12.5'], ['2', '17.5'], ['3', '60'], ['4', null]],
  },
];

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v).replace(/^(-?\d+\.\d*?)0+$/, '$1').replace(/\.$/, ''));

describe('fake vendor functions give the documented results', () => {
  let instance: DuckDBInstance;
  let con: DuckDBConnection;
  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    con = await instance.connect();
    await con.run("SET TimeZone = 'UTC'");
  });
  afterAll(() => {
    con?.closeSync();
    instance?.closeSync();
  });

  it.each(EXAMPLES.map((e) => [`${e.dialect} ${e.construct}`, e] as const))('%s', async (_name, e) => {
    const rows = e.dialect === 'bigquery' ? await runBigqueryOnDuckdb(con, e.sql) : (await runOnDuckdb(con, e.sql)).rows;
    const expected = e.expected.map((r) => r.map(text));
    expect(rows.map((r) => r.map(text)), e.docs).toEqual(expected);
  });

  it('every fake function has a documented example, and cites the page it follows', () => {
    for (const f of FAKE_FUNCTIONS) {
      expect(EXAMPLES.some((e) => e.dialect === f.dialect && e.construct === f.vendor), `${f.dialect} ${f.vendor}`).toBe(true);
      expect(f.docs).toMatch(/^https:\/\/(cloud\.google\.com|docs\.snowflake\.com)\//);
    }
    for (const t of FAKE_TYPES) expect(EXAMPLES.some((e) => e.dialect === t.dialect && e.construct === 'NUMERIC')).toBe(true);
  });

  it('each repair of the translation is needed: the raw translation fails or differs', async () => {
    const probes: Record<string, string> = {
      'TIMESTAMP_ADD with negative seconds': "SELECT TIMESTAMP_ADD(TIMESTAMP '2026-11-01 00:00:00 UTC', INTERVAL -3600 SECOND) AS x",
      "DATEADD('second', negative, …)": "SELECT DATEADD('second', -3600, '2026-11-01 00:00:00'::TIMESTAMP_NTZ) AS x",
      'TIMESTAMP_DIFF(…, SECOND|MINUTE|HOUR|…)': 'SELECT TIMESTAMP_DIFF(TIMESTAMP "2001-02-01 01:00:00", TIMESTAMP "2001-02-01 00:00:01", HOUR) AS diff',
    };
    const { Dialect, transpile } = await import('@polyglot-sql/sdk');
    for (const r of FAKE_REPAIRS) {
      const sql = probes[r.construct];
      expect(sql, r.construct).toBeDefined();
      const raw = transpile(sql, r.dialect === 'bigquery' ? Dialect.BigQuery : Dialect.Snowflake, Dialect.DuckDB).sql![0];
      const repaired = repairTranslation(raw, r.dialect);
      expect(repaired, r.construct).not.toBe(raw);
      const before = await con.runAndReadAll(raw).then((x) => JSON.stringify(x.getRowsJson()), (err: Error) => `error ${err.message}`);
      const after = JSON.stringify((await con.runAndReadAll(repaired)).getRowsJson());
      expect(before, r.construct).not.toBe(after);
    }
  });
});
