// Attribute tables (no timestamp, joined on the unit) as dimension and audience filter, run through
// the unmodified BigQuery and Snowflake SDKs against the FAKE servers (test/fakes), which answer from
// a DuckDB copy of the "Your own warehouse" schema: the breakdown and every aggregate row equal
// DuckDB's own run, and the attribute table is fingerprinted.
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTarget, loadProjectConfig } from '../../src/config/project-config.js';
import type { Results } from '../../src/run/results.js';
import { runProject } from '../../src/run/run-project.js';
import { duckdbAnswers, type DuckdbBackedAnswers } from '../fakes/fake-bigquery-duckdb.js';
import { FakeBigqueryServer } from '../fakes/fake-bigquery-server.js';
import { snowflakeCatalogueAnswer } from '../fakes/fake-catalogue-answers.js';
import { runOnDuckdb } from '../fakes/fake-snowflake-duckdb.js';
import { FakeSnowflakeServer } from '../fakes/fake-snowflake-server.js';
import { ATTRIBUTE_AS_OF, breakdownRows, writeAttributeProject } from '../helpers/attribute-project.js';
import { compareResults } from '../helpers/compare-results.js';
import { ownWarehouseSql } from '../helpers/own-warehouse-sql.js';

const PASSWORD_ENV = 'EXPTRACK_TEST_ATTR_SF_PASSWORD';
let instance: DuckDBInstance;
let connection: DuckDBConnection;
let answers: DuckdbBackedAnswers;
let bq: FakeBigqueryServer;
let sf: FakeSnowflakeServer;
const results = new Map<string, { results: Results; manifest: { fingerprints: { source: string; rows: number; timestamp: string | null }[] } }>();

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'exptrack-attr-cloud-'));
  const file = join(root, 'own.duckdb');
  const writer = await DuckDBInstance.create(file);
  const w = await writer.connect();
  for (const sql of ownWarehouseSql()) await w.run(sql);
  await w.run('CHECKPOINT');
  w.closeSync();
  writer.closeSync();
  instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  connection = await instance.connect();
  await connection.run("SET TimeZone = 'UTC'");
  answers = await duckdbAnswers(file);
  bq = new FakeBigqueryServer({ answer: (sql, how) => answers.answer(sql, how), token: null });
  sf = new FakeSnowflakeServer({ users: { exptrack: 'fake-secret' }, chunkRows: 50, handler: async (q) => (await snowflakeCatalogueAnswer(connection, q.sql)) ?? undefined, fallback: (sql) => runOnDuckdb(connection, sql) });
  await Promise.all([bq.start(), sf.start()]);
  process.env[PASSWORD_ENV] = 'fake-secret';
  const project = join(root, 'project');
  writeAttributeProject(project, `  local:\n    type: duckdb\n    path: ${file}\n`, 'local');
  appendFileSync(
    join(project, 'exptrack.yaml'),
    `  bq:\n    type: bigquery\n    project: own-project\n    api_endpoint: ${bq.url}\n` +
      `  sf:\n    type: snowflake\n    account: fakeaccount\n    username: exptrack\n    password_env: ${PASSWORD_ENV}\n    access_url: ${sf.url}\n`,
  );
  const config = loadProjectConfig(project);
  for (const name of ['local', 'bq', 'sf']) {
    const summary = await runProject({ config, target: getTarget(config, name), selectors: [], asOf: ATTRIBUTE_AS_OF, reportsDir: join(project, `reports-${name}`) });
    const dir = summary.experiments[0].packageDir;
    results.set(name, { results: JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')), manifest: JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) });
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
  { cloud: 'bigquery', target: 'bq' },
  { cloud: 'snowflake', target: 'sf' },
])('attribute tables through the fake $cloud', ({ cloud, target }) => {
  it('the breakdown by accounts.plan and every number equal DuckDB’s', () => {
    const local = results.get('local')!.results;
    const other = results.get(target)!.results;
    expect(other.run.target.type).toBe(cloud);
    expect(breakdownRows(other).map((r) => `${r[0]}/${r[1]}`)).toEqual(['free/new', 'free/old', 'pro/new', 'pro/old']);
    expect(breakdownRows(other)).toEqual(breakdownRows(local));
    expect(compareResults(local, other, 1e-9).disagreements).toEqual([]);
    // Aggregate rows exactly (fingerprint hashes are per warehouse).
    expect(compareResults({ data: { ...local.data, fingerprints: [] } }, { data: { ...other.data, fingerprints: [] } }, 0).disagreements).toEqual([]);
  });

  it('fingerprints the attribute table: every row, no event times', () => {
    const fp = results.get(target)!.manifest.fingerprints.find((f) => f.source === 'accounts');
    expect(fp).toMatchObject({ timestamp: null, rows: 4000 });
  });
});
