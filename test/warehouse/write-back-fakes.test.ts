// The BigQuery and Snowflake write-back SQL (golden files in test/golden/write-back) run through the fakes'
// translation to DuckDB (test/fakes): the schema and table are created, the MERGE inserts every fixture row
// with its values, and a second MERGE of the same rows adds none. What this cannot prove: that BigQuery's
// and Snowflake's own MERGE and DDL accept the SQL (the translation stands in; the live suites would tell).
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getWarehouse } from '../../src/warehouse/registry.js';
import { compileWarehouseWrite, writeRenderer } from '../../src/warehouse-results/warehouse-write.js';
import { runBigqueryOnDuckdb } from '../fakes/fake-bigquery-duckdb.js';
import { runOnDuckdb } from '../fakes/fake-snowflake-duckdb.js';
import { FIXTURE_DECISIONS, FIXTURE_RESULTS } from '../helpers/write-back-fixture.js';

let instance: DuckDBInstance;
let con: DuckDBConnection;
beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  con = await instance.connect();
});
afterAll(() => {
  con.closeSync();
  instance.closeSync();
});

/**
 * Where the Snowflake fake cannot take the write-back as written: in CREATE TABLE and inside MERGE the
 * translator turns TIMESTAMP_NTZ into TIMESTAMPNTZ, which is no DuckDB type (in a SELECT it does not). For
 * the fake only, the type is given as TIMESTAMP (which Snowflake maps to TIMESTAMP_NTZ by default). And
 * Snowflake's FLOAT is a 64-bit double, but inside MERGE the translator keeps CAST(… AS FLOAT), DuckDB's
 * 32-bit type: DOUBLE for the fake. Tests below keep checking that both gaps are still real.
 */
const SNOWFLAKE_NTZ_GAP = (sql: string) => sql.replace(/\bTIMESTAMP_NTZ\b/g, 'TIMESTAMP').replace(/\bAS FLOAT\)/g, 'AS DOUBLE)');

const RUNNERS = {
  bigquery: (sql: string) => runBigqueryOnDuckdb(con, sql),
  snowflake: (sql: string) => runOnDuckdb(con, SNOWFLAKE_NTZ_GAP(sql)),
} as const;

it('the gaps of the Snowflake fake worked around above are still real: TIMESTAMP_NTZ in DDL and MERGE, FLOAT in MERGE', async () => {
  await expect(runOnDuckdb(con, 'CREATE TABLE gap_probe ("t" TIMESTAMP_NTZ)')).rejects.toThrow(/TIMESTAMPNTZ/);
  await runOnDuckdb(con, 'CREATE TABLE gap_probe ("t" TIMESTAMP)');
  await runOnDuckdb(con, 'CREATE TABLE gap_float ("x" DOUBLE)');
  await runOnDuckdb(con, `MERGE INTO gap_float AS g USING (SELECT CAST('0.1' AS FLOAT) AS "x") AS s ON g."x" = s."x" WHEN NOT MATCHED THEN INSERT ("x") VALUES (s."x")`);
  const float = await runOnDuckdb(con, 'SELECT "x" FROM gap_float');
  expect(Number(float.rows[0][0])).not.toBe(0.1);
  await expect(runOnDuckdb(con, `MERGE INTO gap_probe AS g USING (SELECT '2026-01-01 00:00:00'::TIMESTAMP_NTZ AS "t") AS s ON g."t" = s."t" WHEN NOT MATCHED THEN INSERT ("t") VALUES (s."t")`)).rejects.toThrow(/TIMESTAMPNTZ/);
});

describe.each(['bigquery', 'snowflake'] as const)('%s write-back through the fake', (name) => {
  const warehouse = getWarehouse(name);
  const loc = { schemaRef: `out_${name}`, resultsTable: 'exptrack_results', decisionsTable: 'exptrack_decisions' };
  it.each([
    ['results', FIXTURE_RESULTS],
    ['decisions', FIXTURE_DECISIONS],
  ] as const)('%s: created, merged once, and merged again without duplicates', async (kind, rows) => {
    const statements = compileWarehouseWrite({ kind, experiment: 'checkout_redesign', rows: [...rows], loc, renderer: writeRenderer(warehouse) });
    for (let pass = 0; pass < 2; pass++) for (const sql of statements) await RUNNERS[name](sql);
    const table = `${loc.schemaRef}.${kind === 'results' ? loc.resultsTable : loc.decisionsTable}`;
    const got = (await con.runAndReadAll(`SELECT * FROM ${table}`)).getRowObjectsJS();
    expect(got).toHaveLength(rows.length);
    for (const want of rows) {
      const key = kind === 'results' ? 'row_key' : 'sequence';
      const row = got.find((r) => r[key] === want[key])!;
      expect(row, String(want[key])).toBeDefined();
      for (const [col, value] of Object.entries(want)) {
        const cell = row[col];
        const norm = cell instanceof Date ? cell.toISOString() : typeof cell === 'bigint' ? Number(cell) : cell;
        expect(norm, `${String(want[key])}.${col}`).toEqual(value);
      }
    }
  });
});
