// Matched pairs keyed by a pair id through the FAKE BigQuery and FAKE Snowflake servers (official SDKs),
// against the DuckDB run on the same data: the pairs step's rows and the paired tests must agree.
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
import { addShadowFixture, PAIRS } from '../helpers/shadow-pairs-fixture.js';

const PASSWORD_ENV = 'EXPTRACK_TEST_PAIRS_FAKES_PASSWORD';
let instance: DuckDBInstance;
let connection: DuckDBConnection;
let answers: DuckdbBackedAnswers;
let bq: FakeBigqueryServer;
let sf: FakeSnowflakeServer;
const results = new Map<string, Results>();

beforeAll(async () => {
  const project = await demoProject();
  await addShadowFixture(project);
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
    const summary = await runProject({ config, target: getTarget(config, name), selectors: ['shadow_latency'], asOf: config.asOf!, reportsDir: join(project, `reports-${name}`) });
    const e = summary.experiments[0];
    results.set(name, JSON.parse(readFileSync(join(e.packageDir, 'results.json'), 'utf8')));
  }
}, 300_000);

afterAll(async () => {
  await Promise.all([bq?.stop(), sf?.stop()]);
  answers?.close();
  connection?.closeSync();
  instance?.closeSync();
  delete process.env[PASSWORD_ENV];
});

describe.each(['bq', 'sf'])('pairs by pair id through the fake %s', (name) => {
  it('returns DuckDB’s pair rows exactly and the same paired test, decision and drift check', () => {
    const local = results.get('local')!;
    const other = results.get(name)!;
    expect(other.data.pairs).toBeDefined();
    expect(compareResults({ data: { pairs: local.data.pairs } }, { data: { pairs: other.data.pairs } }, 0).disagreements).toEqual([]);
    expect(other.metrics[0].paired![0].pairs).toBe(PAIRS);
    expect(compareResults(local, other, 1e-9).disagreements).toEqual([]);
  });
});
