// LIVE: the demo end to end on a real Snowflake account, compared with DuckDB. Runs only when the
// credentials below are in the environment; otherwise the suite is reported as skipped, naming them.
// It creates a schema EXPTRACK_LIVE_<random> in EXPTRACK_LIVE_SNOWFLAKE_DATABASE, loads the demo
// tables (generated at scale 0.1) into it, runs every demo spec through exptrack's Snowflake adapter,
// compares every statistic with the DuckDB run of the same data to 1e-9, and drops the schema.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTarget, loadProjectConfig } from '../../src/config/project-config.js';
import { buildDemoData, DEMO_AS_OF } from '../../src/demo/build-demo-data.js';
import { runProject, type RunSummary } from '../../src/run/run-project.js';
import { statisticsJson } from '../../src/state/refresh-identity.js';
import { getWarehouse } from '../../src/warehouse/registry.js';
import { snowflakeConfigSchema } from '../../src/warehouse/snowflake/config.js';
import { snowflakeDialect as d } from '../../src/warehouse/snowflake/dialect.js';
import type { Adapter } from '../../src/warehouse/types.js';
import { demoProject } from '../helpers/demo-project.js';
import { expectSameStatistics, readResults } from '../warehouse/statistics-match.js';

const env = process.env;
const REQUIRED = ['EXPTRACK_LIVE_SNOWFLAKE_ACCOUNT', 'EXPTRACK_LIVE_SNOWFLAKE_USER', 'EXPTRACK_LIVE_SNOWFLAKE_WAREHOUSE', 'EXPTRACK_LIVE_SNOWFLAKE_DATABASE'];
const AUTH = ['EXPTRACK_LIVE_SNOWFLAKE_PASSWORD', 'SNOWFLAKE_PRIVATE_KEY_PATH'];
const ready = REQUIRED.every((v) => env[v]) && AUTH.some((v) => env[v]);
const TABLES = ['exposures', 'web_events', 'app_events'];

/** DuckDB column type -> Snowflake column type, for loading the demo tables. */
function snowflakeType(duckType: string): string {
  if (duckType === 'VARCHAR') return 'VARCHAR';
  if (duckType === 'BOOLEAN') return 'BOOLEAN';
  if (duckType === 'DOUBLE' || duckType === 'FLOAT') return 'DOUBLE';
  if (duckType === 'TIMESTAMP WITH TIME ZONE') return 'TIMESTAMP_TZ';
  if (duckType.startsWith('TIMESTAMP')) return 'TIMESTAMP_NTZ';
  if (/^DECIMAL/.test(duckType)) return duckType.replace('DECIMAL', 'NUMBER');
  if (/INT/.test(duckType)) return 'NUMBER(38, 0)';
  throw new Error(`no Snowflake type for DuckDB ${duckType}`);
}

function literal(value: unknown, type: string): string {
  if (value === null || value === undefined) return 'NULL';
  if (type === 'BOOLEAN') return d.booleanLiteral(Boolean(value));
  // DuckDB's own text keeps microseconds (an ISO instant through Date would keep only milliseconds).
  if (type.startsWith('TIMESTAMP')) return `${d.stringLiteral(String(value))}::${type}`;
  if (type === 'VARCHAR') return d.stringLiteral(String(value));
  return d.numberLiteral(String(value));
}

describe.skipIf(!ready)(`Snowflake live (needs ${REQUIRED.join(', ')} and one of ${AUTH.join(', ')})`, () => {
  const schema = `EXPTRACK_LIVE_${randomBytes(4).toString('hex').toUpperCase()}`;
  const ctx = { experiment: 'live-setup', step: 'load' };
  const auth = env.EXPTRACK_LIVE_SNOWFLAKE_PASSWORD
    ? { authenticator: 'password', password_env: 'EXPTRACK_LIVE_SNOWFLAKE_PASSWORD' }
    : { authenticator: 'key_pair' };
  const base = {
    account: env.EXPTRACK_LIVE_SNOWFLAKE_ACCOUNT,
    username: env.EXPTRACK_LIVE_SNOWFLAKE_USER,
    warehouse: env.EXPTRACK_LIVE_SNOWFLAKE_WAREHOUSE,
    database: env.EXPTRACK_LIVE_SNOWFLAKE_DATABASE,
    ...(env.EXPTRACK_LIVE_SNOWFLAKE_ROLE ? { role: env.EXPTRACK_LIVE_SNOWFLAKE_ROLE } : {}),
    ...auth,
  };
  let setup: Adapter | undefined;
  let root = '';
  let viaSnowflake: RunSummary;
  let direct: RunSummary;

  beforeAll(async () => {
    root = await demoProject({ withData: false });
    await buildDemoData(join(root, 'target', 'demo.duckdb'), { scale: 0.1 });
    setup = await getWarehouse('snowflake').createAdapter(snowflakeConfigSchema.parse(base), { projectRoot: root, targetName: 'live' });
    await setup.query(`CREATE SCHEMA ${d.quoteIdentifier(schema)}`, ctx);
    const instance = await DuckDBInstance.create(join(root, 'target', 'demo.duckdb'), { access_mode: 'READ_ONLY' });
    const duck = await instance.connect();
    await duck.run("SET TimeZone = 'UTC'");
    try {
      for (const table of TABLES) {
        const reader = await duck.runAndReadAll(`SELECT * FROM main.${table}`);
        const names = reader.columnNames();
        const types = reader.columnTypes().map((t) => snowflakeType(t.toString()));
        const target = d.quoteTable(`${schema}.${table}`);
        await setup.query(`CREATE TABLE ${target} (${names.map((n, i) => `${d.quoteIdentifier(n)} ${types[i]}`).join(', ')})`, ctx);
        const rows = reader.getRows();
        for (let i = 0; i < rows.length; i += 1000) {
          const values = rows.slice(i, i + 1000).map((r) => `(${r.map((v, k) => literal(v, types[k])).join(', ')})`);
          await setup.query(`INSERT INTO ${target} VALUES ${values.join(',\n')}`, ctx);
        }
      }
    } finally {
      duck.closeSync();
      instance.closeSync();
    }
    // The demo models name main.<table>; point them at the temporary schema.
    const sources = join(root, 'models', 'sources.yaml');
    writeFileSync(sources, readFileSync(sources, 'utf8').replaceAll('table: main.', `table: ${schema.toLowerCase()}.`));
    const target = Object.entries({ ...base, schema }).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`).join('\n');
    writeFileSync(join(root, 'exptrack.yaml'), `name: live\ndefault_target: local\ntargets:\n  local:\n    type: duckdb\n    path: target/demo.duckdb\n  sf:\n    type: snowflake\n${target}\n`);
    const project = loadProjectConfig(root);
    mkdirSync(join(root, 'reports-sf'));
    viaSnowflake = await runProject({ config: project, target: getTarget(project, 'sf'), selectors: [], asOf: DEMO_AS_OF, reportsDir: join(root, 'reports-sf') });
    // The DuckDB side reads the same models; DuckDB's demo tables live in main, so restore them.
    writeFileSync(sources, readFileSync(sources, 'utf8').replaceAll(`table: ${schema.toLowerCase()}.`, 'table: main.'));
    direct = await runProject({ config: loadProjectConfig(root), target: getTarget(loadProjectConfig(root), 'local'), selectors: [], asOf: DEMO_AS_OF, reportsDir: join(root, 'reports-duckdb') });
  }, 1_800_000);

  afterAll(async () => {
    try {
      await setup?.query(`DROP SCHEMA IF EXISTS ${d.quoteIdentifier(schema)} CASCADE`, { experiment: 'live-setup', step: 'drop' });
    } finally {
      await setup?.close();
    }
  }, 300_000);

  it('gives the same exposures, checks, statistics and decisions as DuckDB on the same data', () => {
    expect(viaSnowflake.experiments.map((e) => e.id)).toEqual(direct.experiments.map((e) => e.id));
    for (const [i, e] of viaSnowflake.experiments.entries()) {
      expect(e.recommendation).toBe(direct.experiments[i].recommendation);
      expectSameStatistics(readResults(e.packageDir), readResults(direct.experiments[i].packageDir));
    }
  });

  it('refreshes incrementally through its own session and transaction (rebuild a day before, then incremental): the full run’s statistics', async () => {
    // State tables go into the temporary schema, dropped with it.
    const sources = join(root, 'models', 'sources.yaml');
    writeFileSync(sources, readFileSync(sources, 'utf8').replaceAll('table: main.', `table: ${schema.toLowerCase()}.`));
    const project = loadProjectConfig(root);
    const target = { ...getTarget(project, 'sf'), state: { writeSchema: schema, incremental: false, lateLookbackSeconds: 86_400, concurrency: null } };
    const id = 'checkout_redesign';
    const dayBefore = new Date(Date.parse(DEMO_AS_OF) - 86_400_000).toISOString();
    const first = await runProject({ config: project, target, selectors: [id], asOf: dayBefore, reportsDir: join(root, 'reports-sf-state-0'), incremental: true });
    expect(readResults(first.experiments[0].packageDir).refresh?.mode).toBe('rebuild');
    const second = await runProject({ config: project, target, selectors: [id], asOf: DEMO_AS_OF, reportsDir: join(root, 'reports-sf-state-1'), incremental: true });
    const inc = readResults(second.experiments[0].packageDir);
    expect(inc.refresh?.mode).toBe('incremental');
    const full = readResults(viaSnowflake.experiments.find((e) => e.id === id)!.packageDir);
    expect(statisticsJson(inc)).toBe(statisticsJson(full));
  }, 900_000);
});
