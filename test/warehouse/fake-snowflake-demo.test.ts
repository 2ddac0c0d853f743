// The whole demo through the Snowflake adapter and the unmodified snowflake-sdk, against the FAKE
// Snowflake server, which runs each query on the demo DuckDB after translating it from Snowflake
// SQL. Statistics must equal the direct DuckDB run. This proves the pipeline end to end over the
// Snowflake protocol (session setup, tags, result decoding of every column the steps return); what
// it proves about Snowflake's SQL is limited to what the translation keeps (see the translation test).
import { STEPS } from '../../src/compile/artifacts.js';
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTarget, loadProjectConfig } from '../../src/config/project-config.js';
import { runProject, type RunSummary } from '../../src/run/run-project.js';
import { runOnDuckdb } from '../fakes/fake-snowflake-duckdb.js';
import { FakeSnowflakeServer } from '../fakes/fake-snowflake-server.js';
import { CLI } from '../helpers/demo-project.js';
import { compileDemo, DEMO_AS_OF } from './snowflake-demo-sql.js';
import { expectSameStatistics, readResults } from './statistics-match.js';

const PASSWORD_ENV = 'EXPTRACK_TEST_FAKE_SNOWFLAKE_DEMO_PASSWORD';

describe('demo end to end over the Snowflake protocol (fake Snowflake executing on DuckDB)', () => {
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;
  let fake: FakeSnowflakeServer;
  let root = '';
  let viaSnowflake: RunSummary;
  let direct: RunSummary;

  beforeAll(async () => {
    process.env[PASSWORD_ENV] = 'demo-secret';
    fake = new FakeSnowflakeServer({ users: { exptrack: 'demo-secret' }, chunkRows: 7, fallback: (sql) => runOnDuckdb(connection, sql) });
    await fake.start();
    const config = `name: fake-snowflake-demo
default_target: local
targets:
  local:
    type: duckdb
    path: target/demo.duckdb
  sf:
    type: snowflake
    account: fakeaccount
    username: exptrack
    warehouse: ANALYTICS_XS
    password_env: ${PASSWORD_ENV}
    access_url: ${fake.url}
`;
    root = (await compileDemo(config, true)).root;
    instance = await DuckDBInstance.create(join(root, 'target', 'demo.duckdb'), { access_mode: 'READ_ONLY' });
    connection = await instance.connect();
    await connection.run("SET TimeZone = 'UTC'");
    const project = loadProjectConfig(root);
    mkdirSync(join(root, 'reports-sf'));
    viaSnowflake = await runProject({ config: project, target: getTarget(project, 'sf'), selectors: [], asOf: DEMO_AS_OF, reportsDir: join(root, 'reports-sf') });
    direct = await runProject({ config: project, target: getTarget(project, 'local'), selectors: [], asOf: DEMO_AS_OF, reportsDir: join(root, 'reports-duckdb') });
  }, 300_000);

  afterAll(async () => {
    connection?.closeSync();
    instance?.closeSync();
    await fake?.stop();
    delete process.env[PASSWORD_ENV];
  });

  it('runs every step of every demo spec once, tagged, on one session', () => {
    // The catalogue read (run's first step, shared by the specs) is one more query.
    const steps = fake.executions.filter((q) => !/^ALTER SESSION/.test(q.sql) && JSON.parse(String(q.parameters.QUERY_TAG)).step !== 'catalogue');
    // recommendation_carousel declares its assignment scheme and upsell_widget a rank test (ranks and shift bins): three more steps.
    expect(steps).toHaveLength(8 * STEPS.length + 3);
    const tags = steps.map((q) => JSON.parse(String(q.parameters.QUERY_TAG)) as { experiment: string; step: string });
    expect(new Set(tags.map((t) => `${t.experiment}/${t.step}`)).size).toBe(8 * STEPS.length + 3);
    expect(fake.sessionDeletes).toBe(1);
  });

  it('gives the same exposures, checks, statistics and decisions as the direct DuckDB run', () => {
    expect(viaSnowflake.experiments.map((e) => e.id)).toEqual(direct.experiments.map((e) => e.id));
    for (const [i, e] of viaSnowflake.experiments.entries()) {
      expect(e.recommendation).toBe(direct.experiments[i].recommendation);
      const results = readResults(e.packageDir);
      expect(results.metrics.length).toBeGreaterThan(0);
      expect(results.run.target.type).toBe('snowflake');
      expectSameStatistics(results, readResults(direct.experiments[i].packageDir));
    }
    expect(viaSnowflake.exitCode).toBe(direct.exitCode);
  });

  it('exptrack run --target sf --json prints exactly one JSON document (no SDK log on stdout)', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [CLI, 'run', 'homepage_aa', '--target', 'sf', '--json', '--as-of', DEMO_AS_OF, '--project-dir', root, '--reports-dir', join(root, 'reports-cli')],
      { env: { ...process.env, [PASSWORD_ENV]: 'demo-secret' } },
    );
    const doc = JSON.parse(stdout) as { target: { type: string }; experiments: { id: string }[] };
    expect(doc.target.type).toBe('snowflake');
    expect(doc.experiments.map((e) => e.id)).toEqual(['homepage_aa']);
  });
});
