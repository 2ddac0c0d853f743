// Live suite: the whole demo on real BigQuery, compared with the DuckDB run of the same data.
// Runs only when EXPTRACK_LIVE_BIGQUERY_PROJECT names a project and the client's standard
// credential chain finds credentials (GOOGLE_APPLICATION_CREDENTIALS, or gcloud application-default
// login). Otherwise it reports itself skipped. It creates a temporary dataset (tables expire after a
// day even if the suite dies), loads the demo tables, runs every spec, and deletes the dataset.
// Cost: a few MB scanned per run, bounded by maximum_bytes_billed below.
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTarget, loadProjectConfig } from '../../src/config/project-config.js';
import type { Results } from '../../src/run/results.js';
import { runProject, type RunSummary } from '../../src/run/run-project.js';
import { statisticsJson } from '../../src/state/refresh-identity.js';
import { closeEnough } from '../helpers/close-enough.js';
import { demoProject } from '../helpers/demo-project.js';

const PROJECT = process.env.EXPTRACK_LIVE_BIGQUERY_PROJECT;
const LOCATION = process.env.EXPTRACK_LIVE_BIGQUERY_LOCATION ?? 'US';
const enabled = Boolean(PROJECT);
const NEEDS = 'needs EXPTRACK_LIVE_BIGQUERY_PROJECT (and credentials: GOOGLE_APPLICATION_CREDENTIALS or gcloud application-default login; optional EXPTRACK_LIVE_BIGQUERY_LOCATION, default US)';
const TABLES = ['exposures', 'web_events', 'app_events'];

// Without credentials the whole suite is reported skipped, its title naming what it needs.
describe.skipIf(!enabled)(`BigQuery live suite (${enabled ? `project ${PROJECT}` : `skipped: ${NEEDS}`})`, () => {
  const dataset = `exptrack_live_${randomBytes(4).toString('hex')}`;
  let duckdbProject: string;
  let bigqueryProject: string;
  let client: import('@google-cloud/bigquery').BigQuery;
  let onDuckdb: RunSummary;
  let onBigquery: RunSummary;

  beforeAll(async () => {
    const { BigQuery } = await import('@google-cloud/bigquery');
    const { DuckDBInstance } = await import('@duckdb/node-api');
    client = new BigQuery({ projectId: PROJECT, location: LOCATION });
    duckdbProject = await demoProject();
    bigqueryProject = await demoProject({ withData: false });
    await client.createDataset(dataset, { location: LOCATION, defaultTableExpirationMs: String(24 * 3600 * 1000), labels: { exptrack: 'live-test' } });

    // Parquet carries the types; timestamps go as TIMESTAMPTZ so BigQuery loads TIMESTAMP, not DATETIME.
    const instance = await DuckDBInstance.create(join(duckdbProject, 'target', 'demo.duckdb'), { access_mode: 'READ_ONLY' });
    const con = await instance.connect();
    const dir = mkdtempSync(join(tmpdir(), 'exptrack-live-'));
    try {
      await con.run("SET TimeZone = 'UTC'");
      for (const t of TABLES) {
        const cols = (await con.runAndReadAll(`SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'main' AND table_name = '${t}' ORDER BY ordinal_position`)).getRows();
        const select = cols.map(([c, type]) => (String(type) === 'TIMESTAMP' ? `"${c}"::TIMESTAMPTZ AS "${c}"` : `"${c}"`)).join(', ');
        const file = join(dir, `${t}.parquet`);
        await con.run(`COPY (SELECT ${select} FROM main."${t}") TO '${file}' (FORMAT PARQUET)`);
        await client.dataset(dataset).table(t).load(file, { sourceFormat: 'PARQUET', writeDisposition: 'WRITE_TRUNCATE' });
      }
    } finally {
      con.closeSync();
      instance.closeSync();
    }

    const sources = join(bigqueryProject, 'models', 'sources.yaml');
    writeFileSync(sources, readFileSync(sources, 'utf8').replace(/table: main\./g, `table: ${dataset}.`));
    appendFileSync(
      join(bigqueryProject, 'exptrack.yaml'),
      `  live:\n    type: bigquery\n    project: ${PROJECT}\n    location: ${LOCATION}\n    maximum_bytes_billed: 10000000000\n    labels: { suite: live }\n`,
    );
    const run = async (root: string, target: string | undefined) => {
      const config = loadProjectConfig(root);
      return runProject({ config, target: getTarget(config, target), selectors: [], asOf: config.asOf!, reportsDir: join(root, 'reports') });
    };
    onDuckdb = await run(duckdbProject, undefined);
    onBigquery = await run(bigqueryProject, 'live');
  }, 900_000);

  afterAll(async () => {
    await client?.dataset(dataset).delete({ force: true });
  }, 120_000);

  it('runs every demo spec with the same decisions as DuckDB', () => {
    expect(onBigquery.experiments.map((e) => [e.id, e.recommendation, e.variant, e.failedChecks])).toEqual(
      onDuckdb.experiments.map((e) => [e.id, e.recommendation, e.variant, e.failedChecks]),
    );
  });

  it('gives the same statistics as DuckDB to 1e-9', () => {
    for (const [i, e] of onBigquery.experiments.entries()) {
      const a = JSON.parse(readFileSync(join(e.packageDir, 'results.json'), 'utf8'));
      const b = JSON.parse(readFileSync(join(onDuckdb.experiments[i].packageDir, 'results.json'), 'utf8'));
      for (const part of ['exposures', 'sources', 'checks', 'metrics', 'decision']) expect(closeEnough(a[part], b[part]), `${e.id} ${part}`).toBe(true);
    }
  });

  it('reports dry-run bytes for every experiment', () => {
    for (const e of onBigquery.experiments) expect(e.bytesEstimated, e.id).toBeGreaterThan(0);
  });

  it('refreshes incrementally through a BigQuery session and transaction (rebuild a day before, then incremental): the full run’s statistics', async () => {
    // State tables go into the temporary dataset, deleted with it.
    const config = loadProjectConfig(bigqueryProject);
    const target = { ...getTarget(config, 'live'), state: { writeSchema: dataset, incremental: false, lateLookbackSeconds: 86_400, concurrency: null } };
    const id = 'checkout_redesign';
    const read = (dir: string) => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Results;
    const dayBefore = new Date(Date.parse(config.asOf!) - 86_400_000).toISOString();
    const first = await runProject({ config, target, selectors: [id], asOf: dayBefore, reportsDir: join(bigqueryProject, 'reports-state-0'), incremental: true });
    expect(read(first.experiments[0].packageDir).refresh?.mode).toBe('rebuild');
    const second = await runProject({ config, target, selectors: [id], asOf: config.asOf!, reportsDir: join(bigqueryProject, 'reports-state-1'), incremental: true });
    const inc = read(second.experiments[0].packageDir);
    expect(inc.refresh?.mode).toBe('incremental');
    expect(statisticsJson(inc)).toBe(statisticsJson(read(onBigquery.experiments.find((e) => e.id === id)!.packageDir)));
  }, 900_000);
});
