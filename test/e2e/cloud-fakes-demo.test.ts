// Every demo spec, every compiled step and the plan query, through the FAKE BigQuery and the FAKE
// Snowflake servers via the official SDKs (@google-cloud/bigquery, snowflake-sdk), against the same
// demo data as the direct DuckDB run. The fakes execute on DuckDB with each vendor function given
// the vendor's documented semantics (test/fakes/fake-sql-functions.ts), so what is compared here is
// what BigQuery and Snowflake would compute, except the gaps the README lists (input-fingerprint
// hashes on Snowflake). Nothing is listed by hand: a new step, spec or partial runs through both
// fakes by being compiled.
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STEPS } from '../../src/compile/artifacts.js';
import { getTarget, loadProjectConfig, type ProjectConfig } from '../../src/config/project-config.js';
import { planExperiment } from '../../src/plan/plan-experiment.js';
import type { Results } from '../../src/run/results.js';
import { runProject } from '../../src/run/run-project.js';
import { duckdbAnswers, type DuckdbBackedAnswers } from '../fakes/fake-bigquery-duckdb.js';
import { FakeBigqueryServer } from '../fakes/fake-bigquery-server.js';
import { runOnDuckdb } from '../fakes/fake-snowflake-duckdb.js';
import { FakeSnowflakeServer } from '../fakes/fake-snowflake-server.js';
import { compileDemoFor, compiledQueries } from '../golden/demo-compile.js';
import { compareResults } from '../helpers/compare-results.js';
import { demoProject } from '../helpers/demo-project.js';

const PASSWORD_ENV = 'EXPTRACK_TEST_CLOUD_FAKES_PASSWORD';
const CLOUDS = ['bigquery', 'snowflake'] as const;
type Cloud = (typeof CLOUDS)[number];
const TARGET: Record<Cloud, string> = { bigquery: 'bq', snowflake: 'sf' };

let project: string;
let config: ProjectConfig;
let instance: DuckDBInstance;
let connection: DuckDBConnection;
let answers: DuckdbBackedAnswers;
let bq: FakeBigqueryServer;
let sf: FakeSnowflakeServer;
const results = new Map<string, Map<string, Results>>();

beforeAll(async () => {
  project = await demoProject();
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
  config = loadProjectConfig(project);
  for (const name of ['local', 'bq', 'sf']) {
    const summary = await runProject({ config, target: getTarget(config, name), selectors: [], asOf: config.asOf!, reportsDir: join(project, `reports-${name}`) });
    results.set(name, new Map(summary.experiments.map((e) => [e.id, JSON.parse(readFileSync(join(e.packageDir, 'results.json'), 'utf8')) as Results])));
  }
  // Three full runs of eight demo specs (DuckDB, fake BigQuery, fake Snowflake): minutes on a shared machine.
}, 600_000);

afterAll(async () => {
  await Promise.all([bq?.stop(), sf?.stop()]);
  answers?.close();
  connection?.closeSync();
  instance?.closeSync();
  delete process.env[PASSWORD_ENV];
});

/** Cell text -> comparable value: decimal text without trailing zeros, instants as epoch ms. */
function norm(v: unknown): unknown {
  if (typeof v === 'number' || typeof v === 'bigint') return norm(String(v));
  if (typeof v !== 'string') return v;
  if (/^-?\d+(\.\d+)?$/.test(v)) return v.includes('.') ? v.replace(/\.?0+$/, '') : v;
  if (/^-?\d+(\.\d+)?e[+-]?\d+$/i.test(v)) return String(Number(v));
  if (/^\d{4}-\d\d-\d\d[ T]\d/.test(v)) return Date.parse(v.replace(' ', 'T').replace(/\+00(:00)?$/, 'Z').replace(/(\d)$/, '$1Z'));
  return v;
}

/** Snowflake's JSON wire text of a timestamp ("seconds.nanos[ offset]") or date (days) -> what DuckDB's JSON rows hold. */
function snowflakeCell(cell: string | null, type: string): unknown {
  if (cell === null) return null;
  if (type.startsWith('timestamp')) return new Date(Math.round(Number(cell.split(' ')[0]) * 1000)).toISOString();
  if (type === 'date') return new Date(Number(cell) * 86_400_000).toISOString().slice(0, 10);
  return cell;
}

describe.each(CLOUDS)('the demo through the fake %s', (cloud) => {
  it('every spec: every number of results.json equals DuckDB’s (aggregate rows exactly, statistics within 1e-9)', () => {
    const base = results.get('local')!;
    const other = results.get(TARGET[cloud])!;
    expect([...other.keys()].sort()).toEqual(['checkout_layout_copy', 'checkout_redesign', 'homepage_aa', 'homepage_hero', 'mobile_onboarding', 'pricing_banner', 'recommendation_carousel', 'upsell_widget']);
    let capped = 0;
    let dimensionRows = 0;
    for (const [id, r] of base) {
      const o = other.get(id)!;
      expect(o.run.target.type).toBe(cloud);
      expect(compareResults(r, o, 1e-9).disagreements, id).toEqual([]);
      // The aggregate rows are sums of integers and exact decimals: identical, not merely close.
      const exact = compareResults({ data: { ...r.data, fingerprints: [] } }, { data: { ...o.data, fingerprints: [] } }, 0);
      expect(exact.disagreements, `${id} data`).toEqual([]);
      expect(exact.numbers).toBeGreaterThan(10);
      capped += r.metrics.filter((m) => m.method.capping !== null).length;
      // Rows of a dimension breakdown: first_by chose each unit's dimension value.
      dimensionRows += (o.data.metrics ?? []).filter((row) => row.dim_1 !== null && row.dim_1 !== undefined).length;
    }
    // Capping and dimension breakdowns were among what was compared.
    expect(capped).toBeGreaterThan(0);
    expect(dimensionRows).toBeGreaterThan(0);
  });

  it('every compiled step of every spec returns DuckDB’s rows (decimals exactly)', async () => {
    const queries = compiledQueries(compileDemoFor(cloud));
    const native = new Map(compiledQueries(compileDemoFor('duckdb')).map((q) => [q.key, q.sql]));
    // Every step, plus the assignment audit of the one demo spec that declares its scheme and the
    // ranks and shift-bins steps of the one that asks for a rank test (upsell_widget).
    expect(new Set(queries.map((q) => q.file)).size).toBe(STEPS.length + 3);
    expect(queries.some((q) => q.key.startsWith('upsell_widget') && q.file.endsWith('_ranks.sql'))).toBe(true);
    for (const q of queries) {
      const rows: unknown[][] =
        cloud === 'bigquery'
          ? await answers.answer(q.sql).then((a) => {
              if (a.error) throw new Error(`${q.key}: ${a.error.message}`);
              return a.rows!;
            })
          : await runOnDuckdb(connection, q.sql).then((r) => r.rows.map((row) => row.map((cell, i) => snowflakeCell(cell, r.columns[i].type))));
      const expected = (await connection.runAndReadAll(native.get(q.key)!)).getRowsJson() as unknown[][];
      // Input fingerprints hash rows with each warehouse's own function: the hash column is per warehouse.
      const keep = (r: unknown[]) => (q.file === '04_fingerprints.sql' ? r.slice(0, -1) : r);
      const sorted = (rs: unknown[][]) => rs.map((r) => keep(r).map(norm)).sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
      const a = sorted(rows);
      const b = sorted(expected);
      expect(a.length, q.key).toBe(b.length);
      // Doubles (ratios, caps as floats) within 1e-9; everything else exactly.
      a.forEach((row, i) =>
        row.forEach((cell, j) => {
          const e = b[i][j];
          if (typeof cell === 'string' && typeof e === 'string' && /e|\.\d{10,}/i.test(`${cell}${e}`) && !Number.isNaN(Number(cell))) {
            expect(Math.abs(Number(cell) - Number(e)) <= 1e-9 * Math.max(1, Math.abs(Number(e))), `${q.key} row ${i} col ${j}: ${cell} vs ${e}`).toBe(true);
          } else expect(cell, `${q.key} row ${i} col ${j}`).toEqual(e);
        }),
      );
    }
    // Eight demo specs, every step each, through two SQL translations: minutes on a shared two-core machine.
  }, 240_000);

  it('plan gives DuckDB’s baseline, traffic and sample sizes', async () => {
    const opts = { asOf: config.asOf!, lookbackDays: 28, days: 14, mde: null, lift: 0.05, power: 0.8 };
    for (const id of ['checkout_redesign', 'homepage_aa']) {
      const local = await planExperiment(config, getTarget(config, 'local'), id, opts);
      const remote = await planExperiment(config, getTarget(config, TARGET[cloud]), id, opts);
      expect(local.preperiod.unitsSeen, id).toBeGreaterThan(0);
      expect(compareResults(remote, local, 1e-9).disagreements, id).toEqual([]);
    }
  });
});
