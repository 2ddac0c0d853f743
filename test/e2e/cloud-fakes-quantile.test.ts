// Quantile metrics through the FAKE BigQuery and the FAKE Snowflake servers via the official SDKs, against
// the same demo data as the direct DuckDB run (test/helpers/quantile-project.ts adds the metrics and specs).
// The quantiles step uses ROW_NUMBER, COUNT(*) OVER, CEIL, FLOOR, SQRT, LEAST, GREATEST and integer casts,
// which the fakes execute on DuckDB with the vendors' documented semantics (test/fakes/fake-sql-functions.ts);
// no approximate percentile function is involved, so no new fake function was needed.
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTarget, loadProjectConfig } from '../../src/config/project-config.js';
import type { Results } from '../../src/run/results.js';
import { runProject } from '../../src/run/run-project.js';
import { duckdbAnswers, type DuckdbBackedAnswers } from '../fakes/fake-bigquery-duckdb.js';
import { FakeBigqueryServer } from '../fakes/fake-bigquery-server.js';
import { runOnDuckdb } from '../fakes/fake-snowflake-duckdb.js';
import { FakeSnowflakeServer } from '../fakes/fake-snowflake-server.js';
import { compareResults } from '../helpers/compare-results.js';
import { demoProject } from '../helpers/demo-project.js';
import { addQuantileSpecs } from '../helpers/quantile-project.js';

const PASSWORD_ENV = 'EXPTRACK_TEST_QUANTILE_FAKES_PASSWORD';
const SPECS = ['checkout_quantile', 'checkout_quantile_primary'];
let instance: DuckDBInstance;
let connection: DuckDBConnection;
let answers: DuckdbBackedAnswers;
let bq: FakeBigqueryServer;
let sf: FakeSnowflakeServer;
const results = new Map<string, Map<string, Results>>();

beforeAll(async () => {
  const project = await demoProject();
  addQuantileSpecs(project);
  const file = join(project, 'target', 'demo.duckdb');
  instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  connection = await instance.connect();
  await connection.run("SET TimeZone = 'UTC'");
  answers = await duckdbAnswers(file);
  bq = new FakeBigqueryServer({ answer: (sql, how) => answers.answer(sql, how), token: null });
  sf = new FakeSnowflakeServer({ users: { exptrack: 'fake-secret' }, chunkRows: 50, fallback: (sql) => runOnDuckdb(connection, sql) });
  await Promise.all([bq.start(), sf.start()]);
  process.env[PASSWORD_ENV] = 'fake-secret';
  appendFileSync(
    join(project, 'exptrack.yaml'),
    `  bq:\n    type: bigquery\n    project: demo-project\n    api_endpoint: ${bq.url}\n` +
      `  sf:\n    type: snowflake\n    account: fakeaccount\n    username: exptrack\n    password_env: ${PASSWORD_ENV}\n    access_url: ${sf.url}\n`,
  );
  const config = loadProjectConfig(project);
  for (const name of ['local', 'bq', 'sf']) {
    const summary = await runProject({ config, target: getTarget(config, name), selectors: SPECS, asOf: config.asOf!, reportsDir: join(project, `reports-${name}`) });
    results.set(name, new Map(summary.experiments.map((e) => [e.id, JSON.parse(readFileSync(join(e.packageDir, 'results.json'), 'utf8')) as Results])));
  }
}, 300_000);

afterAll(async () => {
  await Promise.all([bq?.stop(), sf?.stop()]);
  answers?.close();
  connection?.closeSync();
  instance?.closeSync();
  delete process.env[PASSWORD_ENV];
});

describe.each([
  ['bigquery', 'bq'],
  ['snowflake', 'sf'],
])('quantile metrics through the fake %s', (cloud, target) => {
  it('returns the same order statistics and ranks as DuckDB, and the same statistics to 1e-9', () => {
    const base = results.get('local')!;
    const other = results.get(target)!;
    expect([...other.keys()].sort()).toEqual(SPECS);
    for (const id of SPECS) {
      const r = base.get(id)!;
      const o = other.get(id)!;
      expect(o.run.target.type).toBe(cloud);
      expect(compareResults(r, o, 1e-9).disagreements, id).toEqual([]);
      // The order statistics are values of the data and integer ranks: identical, not merely close.
      const exact = compareResults({ data: { quantiles: r.data.quantiles } }, { data: { quantiles: o.data.quantiles } }, 0);
      expect(exact.disagreements, `${id} quantiles`).toEqual([]);
      expect(o.data.quantiles!.length).toBe(r.data.quantiles!.length);
      expect(r.data.quantiles!.length).toBeGreaterThanOrEqual(4);
    }
  });
});
