// Every partial's fixtures (test/macros/fixtures, the same data and expected columns the DuckDB and
// Postgres matrix runs) rendered in BigQuery's and Snowflake's spelling and run through each real
// adapter, SDK and FAKE server. A partial added to the contract, or a fixture case, runs here too.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellNumber } from '../../src/warehouse/normalize.js';
import { getWarehouse } from '../../src/warehouse/registry.js';
import type { Adapter, Cell, Row } from '../../src/warehouse/types.js';
import { duckdbAnswers, type DuckdbBackedAnswers } from '../fakes/fake-bigquery-duckdb.js';
import { FakeBigqueryServer } from '../fakes/fake-bigquery-server.js';
import { runOnDuckdb } from '../fakes/fake-snowflake-duckdb.js';
import { FakeSnowflakeServer } from '../fakes/fake-snowflake-server.js';
import { caseContext, fixtureRenderer, inputStatements, loadFixtures, type Fixture, type FixtureCase } from '../helpers/macro-fixtures.js';
import type { MatrixWarehouse } from '../helpers/warehouse-matrix.js';

const PASSWORD_ENV = 'EXPTRACK_TEST_CLOUD_PARTIALS_PASSWORD';
const fixtures = loadFixtures();
const CLOUDS = ['bigquery', 'snowflake'] as const;
/** hash64 bits per warehouse and input, compared with DuckDB's at the end. */
const hashBits = new Map<string, Map<string, bigint>>();

let path: string;
let instance: DuckDBInstance;
let connection: DuckDBConnection;
let answers: DuckdbBackedAnswers;
let bq: FakeBigqueryServer;
let sf: FakeSnowflakeServer;
const adapters = new Map<string, Adapter>();

beforeAll(async () => {
  // The fixture tables live in one DuckDB file, which both fakes and the DuckDB adapter read.
  path = join(mkdtempSync(join(tmpdir(), 'exptrack-cloud-partials-')), 'fixtures.duckdb');
  const writer = await DuckDBInstance.create(path);
  const w = await writer.connect();
  for (const sql of inputStatements('duckdb', fixtures)) await w.run(sql);
  await w.run('CHECKPOINT');
  w.closeSync();
  writer.closeSync();
  instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  connection = await instance.connect();
  await connection.run("SET TimeZone = 'UTC'");
  answers = await duckdbAnswers(path);
  bq = new FakeBigqueryServer({ answer: (sql, how) => answers.answer(sql, how), token: null });
  sf = new FakeSnowflakeServer({ users: { exptrack: 'fake-secret' }, fallback: (sql) => runOnDuckdb(connection, sql) });
  await Promise.all([bq.start(), sf.start()]);
  process.env[PASSWORD_ENV] = 'fake-secret';
  const env = { projectRoot: tmpdir(), targetName: 'partials' };
  adapters.set('bigquery', await getWarehouse('bigquery').createAdapter(getWarehouse('bigquery').configSchema.parse({ project: 'fixtures', api_endpoint: bq.url }), env));
  adapters.set(
    'snowflake',
    await getWarehouse('snowflake').createAdapter(getWarehouse('snowflake').configSchema.parse({ account: 'fake', username: 'exptrack', password_env: PASSWORD_ENV, access_url: sf.url }), env),
  );
  adapters.set('duckdb', await getWarehouse('duckdb').createAdapter({ path }, env));
}, 120_000);

afterAll(async () => {
  for (const a of adapters.values()) await a.close();
  await Promise.all([bq?.stop(), sf?.stop()]);
  answers?.close();
  connection?.closeSync();
  instance?.closeSync();
  delete process.env[PASSWORD_ENV];
});

function expectCell(actual: Cell | undefined, expected: Cell, where: string): void {
  if (expected === null) return void expect(actual ?? null, where).toBeNull();
  if (typeof expected === 'number') {
    const a = cellNumber(actual);
    expect(a, where).not.toBeNull();
    const scale = Math.max(Math.abs(a!), Math.abs(expected));
    expect(scale === 0 ? 0 : Math.abs(a! - expected) / scale, `${where}: ${a} vs ${expected}`).toBeLessThanOrEqual(1e-12);
    return;
  }
  expect(actual === null ? null : String(actual), where).toBe(String(expected));
}

function check(warehouse: string, f: Fixture, c: FixtureCase, rows: Row[]): void {
  if (f.check === 'hash') {
    // Properties as in the matrix; hash64 bits are compared across warehouses below.
    const seen = new Map<string, string>();
    c.rows.forEach((input, k) => {
      const h = rows[k].result;
      const s = input.s as string | null;
      if (s === null) return void expect(h ?? null).toBeNull();
      const n = BigInt(String(h));
      expect(n >= -(2n ** 63n) && n < 2n ** 64n, `${h} is 64-bit`).toBe(true);
      if (seen.has(s)) expect(String(h)).toBe(seen.get(s));
      seen.set(s, String(h));
      if (f.partial === 'hash64') {
        if (!hashBits.has(warehouse)) hashBits.set(warehouse, new Map());
        hashBits.get(warehouse)!.set(s, BigInt.asUintN(64, n));
      }
    });
    expect(new Set(seen.values()).size).toBe(seen.size);
    return;
  }
  if (f.kind === 'scalar') {
    expect(rows.map((r) => Number(r.row_id))).toEqual(c.rows.map((_, k) => k));
    c.rows.forEach((input, k) => expectCell(rows[k].result, (input.expected ?? null) as Cell, `row ${k} ${JSON.stringify(input)}`));
    return;
  }
  const got = Object.fromEntries(rows.map((r) => [String(r.grp), r.result]));
  expect(Object.keys(got).sort()).toEqual(Object.keys(c.expected!).sort());
  for (const [g, e] of Object.entries(c.expected!)) expectCell(got[g], e, `group ${g}`);
}

describe.each([...CLOUDS, 'duckdb'] as const)('partials through the fake %s', (warehouse) => {
  // The renderer and the contexts only read the warehouse's name and dialect.
  const { renderer, step } = fixtureRenderer(warehouse as MatrixWarehouse, fixtures);
  const cases = fixtures.flatMap((f) => f.cases.map((c, i) => ({ f, c, i, title: `${f.partial}: ${c.name}` })));
  it.each(cases)('$title', async ({ f, c, i }) => {
    const sql = renderer.render(step(f, i), caseContext(warehouse as MatrixWarehouse, f, c, i, false));
    const run = () => adapters.get(warehouse)!.query(sql, { experiment: 'macro_fixtures', step: 'fixture' });
    const known = c.known_failure?.[warehouse];
    // A known failure, kept visible: the case must fail there, with that message, until fixed.
    if (known) return void (await expect(run().then((rows) => check(warehouse, f, c, rows))).rejects.toThrow(known));
    check(warehouse, f, c, await run());
  });
});

describe('hash64 across warehouses', () => {
  it('gives DuckDB’s 64 bits (the first 16 hex digits of the MD5) on BigQuery and Snowflake', () => {
    const duck = hashBits.get('duckdb');
    expect(duck?.size).toBeGreaterThan(3);
    for (const cloud of CLOUDS) expect(hashBits.get(cloud), cloud).toEqual(duck);
  });
});
