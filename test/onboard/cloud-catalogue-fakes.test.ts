// init --introspect and check on BigQuery and Snowflake through the FAKE servers (test/fakes): the
// unmodified SDKs send exptrack's catalogue queries, and the fakes answer them from a DuckDB copy of
// the walkthrough schema with BigQuery's / Snowflake's type names (fake-catalogue-answers.ts).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duckdbAnswers, type DuckdbBackedAnswers } from '../fakes/fake-bigquery-duckdb.js';
import { FakeBigqueryServer } from '../fakes/fake-bigquery-server.js';
import { snowflakeCatalogueAnswer } from '../fakes/fake-catalogue-answers.js';
import { runOnDuckdb } from '../fakes/fake-snowflake-duckdb.js';
import { FakeSnowflakeServer } from '../fakes/fake-snowflake-server.js';
import { CLI } from '../helpers/demo-project.js';
import { ownWarehouseSql } from '../helpers/own-warehouse-sql.js';

const SF_PASSWORD_ENV = 'EXPTRACK_TEST_CATALOGUE_SF_PASSWORD';
const root = mkdtempSync(join(tmpdir(), 'exptrack-cloud-catalogue-'));
const home = mkdtempSync(join(tmpdir(), 'exptrack-bq-home-'));
const warehouse = join(root, 'warehouse.duckdb');

// Async, so the fake servers in this process keep answering while the CLI runs.
function exptrack(cwd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', HOME: home, CLOUDSDK_CONFIG: home, METADATA_SERVER_DETECTION: 'none', GCE_METADATA_HOST: '127.0.0.1:9', GCE_METADATA_IP: '127.0.0.1:9', [SF_PASSWORD_ENV]: 'sf-secret' };
  delete env.GOOGLE_APPLICATION_CREDENTIALS;
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { cwd, env });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let bqAnswers: DuckdbBackedAnswers;
let bq: FakeBigqueryServer;
let sfInstance: DuckDBInstance;
let sfConnection: DuckDBConnection;
let sf: FakeSnowflakeServer;

beforeAll(async () => {
  const instance = await DuckDBInstance.create(warehouse);
  const c = await instance.connect();
  for (const sql of ownWarehouseSql()) await c.run(sql);
  c.closeSync();
  instance.closeSync();
  bqAnswers = await duckdbAnswers(warehouse);
  bq = new FakeBigqueryServer({ answer: (sql, how) => bqAnswers.answer(sql, how), token: null });
  await bq.start();
  sfInstance = await DuckDBInstance.create(warehouse, { access_mode: 'READ_ONLY' });
  sfConnection = await sfInstance.connect();
  sf = new FakeSnowflakeServer({
    users: { analyst: 'sf-secret' },
    handler: async (q) => (await snowflakeCatalogueAnswer(sfConnection, q.sql)) ?? undefined,
    fallback: (sql) => runOnDuckdb(sfConnection, sql),
  });
  await sf.start();
}, 120_000);

afterAll(async () => {
  await bq?.stop();
  bqAnswers?.close();
  await sf?.stop();
  sfConnection?.closeSync();
  sfInstance?.closeSync();
});

const proposed = (dir: string) => readFileSync(join(dir, 'models', 'sources.yaml'), 'utf8');

describe.each([
  { type: 'bigquery', flags: () => ['--project', 'own-project', '--dataset', 'app', '--api-endpoint', bq.url], dataType: 'FLOAT64', shout: false },
  { type: 'snowflake', flags: () => ['--account', 'fakeaccount', '--username', 'analyst', '--password-env', SF_PASSWORD_ENV, '--access-url', sf.url], dataType: 'FLOAT', shout: true },
])('$type catalogue through the fake server', ({ type, flags, dataType, shout }) => {
  // Snowflake's catalogue names unquoted objects in upper case; check quotes them as the catalogue has them.
  const n = (name: string) => (shout ? name.toUpperCase() : name);
  const dir = join(root, type);

  it('init --introspect proposes exposure, event and attribute sources from INFORMATION_SCHEMA.COLUMNS', async () => {
    mkdirSync(dir);
    const r = await exptrack(dir, ['init', '--type', type, ...flags(), '--introspect']);
    expect(r.code, r.stderr).toBe(0);
    const s = proposed(dir);
    expect(s).toMatch(/experiment_exposures:[\s\S]*table: app\.experiment_exposures[\s\S]*account: account_id[\s\S]*timestamp: seen_at[\s\S]*experiment_key: experiment[\s\S]*variant: arm/);
    expect(s).toMatch(/events:[\s\S]*timestamp: occurred_at[\s\S]*event_name: string[\s\S]*revenue: number/);
    expect(s).toMatch(/accounts:[\s\S]*table: app\.accounts\n\s+units:\n\s+account: account_id\n\s+columns:\n\s+is_internal: boolean/);
  });

  it('check passes, and names a wrong type in the warehouse\'s own type name', async () => {
    expect((await exptrack(dir, ['check'])).code).toBe(0);
    const path = join(dir, 'models', 'sources.yaml');
    writeFileSync(path, proposed(dir).replace('revenue: number', 'revenue: boolean').replace('timestamp: occurred_at', 'timestamp: occurredat'));
    const r = await exptrack(dir, ['check', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).diagnostics.map((d: { field: string; message: string }) => `${d.field}: ${d.message}`)).toEqual([
      `sources.events.timestamp: column 'occurredat' (timestamp) does not exist in ${n('app.events')}; did you mean '${n('occurred_at')}'?`,
      `sources.events.columns.revenue: column 'revenue' in ${n('app.events')} is ${dataType}, not a boolean; declare it as number`,
    ]);
  });
});

describe('what the fakes were asked', () => {
  it('BigQuery: one catalogue job per dataset, qualified by the dataset, with the exptrack labels', () => {
    const jobs = bq.requestsTo('insert').map((r) => r.body?.configuration as { query: { query: string }; labels: Record<string, string> });
    const catalogue = jobs.filter((j) => j.labels.exptrack_step === 'catalogue');
    expect(catalogue.length).toBeGreaterThanOrEqual(3);
    for (const j of catalogue) expect(j.query.query).toContain('FROM `app`.INFORMATION_SCHEMA.COLUMNS');
  });
});
