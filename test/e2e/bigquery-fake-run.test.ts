// The whole pipeline on the BigQuery target, through the real CLI and the unmodified SDK, against
// the fake BigQuery server answering from the demo DuckDB data after translating the SQL
// (test/fakes/fake-bigquery-duckdb.ts). What it proves: `compile --estimate` and `run` drive the
// BigQuery protocol end to end (jobs, paging, dry runs, labels) and read BigQuery-typed rows back
// into the same statistics as the DuckDB target. What it does not prove: that BigQuery itself
// evaluates our SQL the same way (the translation stands in for it; see its listed gaps, and the
// live suite test/live/bigquery.live.test.ts).
import { execFile } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { Dialect, transpile } from '@polyglot-sql/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileDemoFor, compiledQueries } from '../golden/demo-compile.js';
import { closeEnough as close } from '../helpers/close-enough.js';
import { CLI, demoProject } from '../helpers/demo-project.js';
import { duckdbAnswers, TRANSLATION_GAPS, translateBigquery, type DuckdbBackedAnswers } from '../fakes/fake-bigquery-duckdb.js';
import { STEPS } from '../../src/compile/artifacts.js';
import { FakeBigqueryServer } from '../fakes/fake-bigquery-server.js';

const exec = promisify(execFile);

let project: string;
let answers: DuckdbBackedAnswers;
let fake: FakeBigqueryServer;
/** A HOME with no gcloud credentials and no metadata server: the SDK's credential chain finds nothing, as with an emulator. */
const home = mkdtempSync(join(tmpdir(), 'exptrack-bq-home-'));

beforeAll(async () => {
  project = await demoProject();
  answers = await duckdbAnswers(join(project, 'target', 'demo.duckdb'));
  fake = new FakeBigqueryServer({ answer: (sql, how) => answers.answer(sql, how), token: null });
  await fake.start();
  appendFileSync(
    join(project, 'exptrack.yaml'),
    `  bq:\n    type: bigquery\n    project: demo-project\n    location: US\n    api_endpoint: ${fake.url}\n    maximum_bytes_billed: 1000000000\n    labels: { team: growth }\n`,
  );
});
afterAll(async () => {
  await fake?.stop();
  answers?.close();
});

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', HOME: home, CLOUDSDK_CONFIG: home, METADATA_SERVER_DETECTION: 'none', GCE_METADATA_HOST: '127.0.0.1:9', GCE_METADATA_IP: '127.0.0.1:9' };
  delete env.GOOGLE_APPLICATION_CREDENTIALS;
  try {
    const { stdout, stderr } = await exec(process.execPath, [CLI, ...args, '--project-dir', project], { env });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('BigQuery SQL translated to DuckDB (how far the fake can stand in for BigQuery)', () => {
  it('lists the translation gaps, and each one is still real', async () => {
    expect(TRANSLATION_GAPS.map((g) => g.construct.split(' ')[0])).toEqual(['ARRAY_AGG(IF(o', 'APPROX_QUANTILES', 'CAST(x']);
    const instance = await DuckDBInstance.create(':memory:');
    const con = await instance.connect();
    try {
      const firstBy = transpile('SELECT ARRAY_AGG(IF(o IS NULL, NULL, v) IGNORE NULLS ORDER BY o LIMIT 1)[SAFE_OFFSET(0)] AS f FROM (SELECT 1 AS v, 2 AS o) AS t', Dialect.BigQuery, Dialect.DuckDB);
      expect(firstBy.success).toBe(true);
      await expect(con.runAndReadAll(firstBy.sql![0])).rejects.toThrow(/LIMIT/);
      const numeric = transpile("SELECT CAST('1.234567' AS NUMERIC) AS x", Dialect.BigQuery, Dialect.DuckDB);
      const rows = (await con.runAndReadAll(numeric.sql![0])).getRowsJson();
      expect(String(rows[0][0])).toBe('1.235'); // BigQuery: 1.234567
      // The repaired gaps: wrong (DuckDB rejects it) without the repair, BigQuery's answer with it.
      for (const [sql, expected] of [
        ["SELECT TIMESTAMP_ADD(TIMESTAMP '2026-11-01 00:00:00 UTC', INTERVAL -3600 SECOND) AS x", Date.parse('2026-10-31T23:00:00Z')],
        ["SELECT DATE(`s`.`t`, 'UTC') AS x FROM (SELECT TIMESTAMP '2026-11-01 23:30:00 UTC' AS t) AS s", Date.parse('2026-11-01T00:00:00Z')],
      ] as const) {
        const t = translateBigquery(sql);
        expect(t.raw, sql).not.toBe(t.sql);
        await expect(con.runAndReadAll(t.raw!), sql).rejects.toThrow();
        const [[v]] = (await con.runAndReadAll(t.sql!)).getRowsJson() as string[][];
        expect(Date.parse(`${String(v).replace(' ', 'T').replace(/\+00$/, '')}${String(v).length === 10 ? 'T00:00:00' : ''}Z`), sql).toBe(expected);
      }
    } finally {
      con.closeSync();
      instance.closeSync();
    }
  });

  it('gives DuckDB’s own answers for every demo query that uses no listed construct', async () => {
    const bq = compiledQueries(compileDemoFor('bigquery'));
    const native = new Map(compiledQueries(compileDemoFor('duckdb')).map((q) => [q.key, q.sql]));
    const instance = await DuckDBInstance.create(join(project, 'target', 'demo.duckdb'), { access_mode: 'READ_ONLY' });
    const con = await instance.connect();
    await con.run("SET TimeZone = 'UTC'");
    let compared = 0;
    try {
      for (const q of bq) {
        const a = await answers.answer(q.sql);
        if (q.sql.includes('ARRAY_AGG(')) {
          expect(a.error?.message, q.key).toMatch(/LIMIT/);
          continue;
        }
        expect(a.error, q.key).toBeUndefined();
        const expected = (await con.runAndReadAll(native.get(q.key)!)).getRowsJson();
        // Same values; timestamps compared as instants, numbers as numbers.
        const norm = (v: unknown) => (typeof v === 'string' && /^\d{4}-\d\d-\d\d[ T]/.test(v) ? Date.parse(v.replace(' ', 'T').replace(/\+00$/, 'Z').replace(/(\d)$/, '$1Z')) : typeof v === 'string' && v !== '' && !Number.isNaN(Number(v)) ? Number(v) : v);
        // Fingerprints: the fake's content hash is DuckDB's hash(), not FARM_FINGERPRINT (see TRANSLATION_REPAIRS).
        const keep = (r: unknown[]) => (q.file === '04_fingerprints.sql' ? r.slice(0, -1) : r);
        // Rows of GROUPING SETS come in no set order: compare them sorted.
        const sorted = (rows: unknown[][]) => rows.map((r) => keep(r.map(norm))).sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
        if (q.sql.includes('APPROX_QUANTILES')) {
          // Approximate by design (TRANSLATION_GAPS): same shape, not the same capped sums.
          expect(a.rows!.length, q.key).toBe(expected.length);
          continue;
        }
        expect(sorted(a.rows!), q.key).toEqual(sorted(expected as unknown[][]));
        compared += 1;
      }
    } finally {
      con.closeSync();
      instance.closeSync();
    }
    expect(compared).toBeGreaterThanOrEqual(6);
  });
});

describe('exptrack on a BigQuery target (fake server)', () => {
  it('compile --estimate prints the dry-run bytes of every query and the total', async () => {
    const r = await cli(['compile', '--estimate', '--json', '-t', 'bq']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { estimate: { queries: { experiment: string; file: string; bytes: number }[]; totalBytes: number } };
    // recommendation_carousel declares its assignment scheme: one more step.
    expect(out.estimate.queries).toHaveLength(5 * STEPS.length + 1);
    for (const q of out.estimate.queries) {
      const sql = readFileSync(join(project, 'target', 'compiled', q.experiment, q.file), 'utf8');
      expect(q.bytes, `${q.experiment}/${q.file}`).toBe(sql.length * 1000);
    }
    expect(out.estimate.totalBytes).toBe(out.estimate.queries.reduce((a, q) => a + q.bytes, 0));
    const text = await cli(['compile', '--estimate', '-t', 'bq']);
    expect(text.stdout).toMatch(new RegExp(`^estimate total: [\\d.]+ (KiB|MiB) \\(\\d+ bytes\\) in ${5 * STEPS.length + 1} queries$`, 'm'));
    const local = await cli(['compile', '--estimate']);
    expect(local.code).toBe(0);
    expect(local.stderr).toContain("target 'local' (duckdb) gives no dry-run byte estimates");
  });

  it('run gives the same decisions and statistics as the DuckDB target, with labelled jobs and bytes in the summary', async () => {
    const specs = ['mobile_onboarding', 'pricing_banner']; // no dimensions: no first_by, which the translation cannot run
    const inserts = fake.requestsTo('insert').length;
    const bq = await cli(['run', ...specs, '--json', '-t', 'bq']);
    const local = await cli(['run', ...specs, '--json']);
    expect(bq.code, bq.stderr).toBe(local.code);
    const a = JSON.parse(bq.stdout);
    const b = JSON.parse(local.stdout);
    expect(a.target).toEqual({ name: 'bq', type: 'bigquery' });
    for (const [i, e] of a.experiments.entries()) {
      const d = b.experiments[i];
      expect([e.id, e.recommendation, e.variant, e.failedChecks]).toEqual([d.id, d.recommendation, d.variant, d.failedChecks]);
      expect(e.bytesEstimated).toBeGreaterThan(0);
      expect(d.bytesEstimated).toBeUndefined();
      const ra = JSON.parse(readFileSync(join(e.packageDir, 'results.json'), 'utf8'));
      const rb = JSON.parse(readFileSync(join(d.packageDir, 'results.json'), 'utf8'));
      for (const part of ['exposures', 'sources', 'checks', 'decision']) {
        expect(close(ra[part], rb[part]), `${e.id} ${part}`).toBe(true);
      }
      // Capped metrics are not comparable: BigQuery's percentile is APPROX_QUANTILES (approximate by design,
      // see TRANSLATION_GAPS). Every other metric must agree.
      const exact = (r: { metrics: { method: { capping: unknown } }[] }) => r.metrics.filter((m) => m.method.capping === null);
      expect(exact(ra).length).toBeGreaterThan(0);
      expect(close(exact(ra), exact(rb)), `${e.id} uncapped metrics`).toBe(true);
    }
    const jobs = fake.requestsTo('insert').slice(inserts).map((r) => r.body?.configuration as { dryRun?: boolean; labels: Record<string, string> });
    expect(jobs.filter((j) => !j.dryRun)).toHaveLength(2 * STEPS.length);
    expect(jobs.filter((j) => j.dryRun)).toHaveLength(2 * STEPS.length);
    expect(new Set(jobs.map((j) => `${j.labels.exptrack_experiment}/${j.labels.exptrack_step}/${j.labels.team}`))).toEqual(
      new Set(specs.flatMap((s) => STEPS.map((st) => `${s}/${st.name}/growth`))),
    );
    expect(bq.stderr).toMatch(/\[2\/5\] metrics \.\.\. \d+ rows, \d+ ms, [\d.]+ (KiB|MiB) scanned \(dry-run estimate\)/);
  });
});
