// The whole pipeline on the BigQuery target, through the real CLI and the unmodified SDK, against
// the fake BigQuery server answering from the demo DuckDB data after translating the SQL
// (test/fakes/fake-bigquery-duckdb.ts). What it proves: `compile --estimate` and `run` drive the
// BigQuery protocol end to end (jobs, paging, dry runs, labels) and read BigQuery-typed rows back
// into the same statistics as the DuckDB target. What it does not prove: that BigQuery itself
// evaluates our SQL the same way (the translation stands in for it; see its listed gaps, and the
// live suite test/live/bigquery.live.test.ts). Every step's rows are compared with DuckDB's in
// cloud-fakes-demo.test.ts; this file drives the CLI.
import { execFile } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileDemoFor, compiledQueries } from '../golden/demo-compile.js';
import { closeEnough as close } from '../helpers/close-enough.js';
import { CLI, demoProject } from '../helpers/demo-project.js';
import { duckdbAnswers, TRANSLATION_GAPS, type DuckdbBackedAnswers } from '../fakes/fake-bigquery-duckdb.js';
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

describe('BigQuery SQL on the fake (how far it stands in for BigQuery)', () => {
  it('emits none of the constructs the fake cannot run faithfully', () => {
    expect(TRANSLATION_GAPS.map((g) => g.construct)).toEqual(['APPROX_QUANTILES']);
    for (const q of compiledQueries(compileDemoFor('bigquery'))) {
      for (const g of TRANSLATION_GAPS) expect(q.sql.includes(`${g.construct}(`), `${q.key} uses ${g.construct}`).toBe(false);
    }
  });
});

describe('exptrack on a BigQuery target (fake server)', () => {
  it('compile --estimate prints the dry-run bytes of every query and the total', async () => {
    const r = await cli(['compile', '--estimate', '--json', '-t', 'bq']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { estimate: { queries: { experiment: string; file: string; bytes: number }[]; totalBytes: number } };
    // recommendation_carousel declares its assignment scheme and upsell_widget a rank test (ranks and shift bins): three more steps.
    expect(out.estimate.queries).toHaveLength(8 * STEPS.length + 3);
    for (const q of out.estimate.queries) {
      const sql = readFileSync(join(project, 'target', 'compiled', q.experiment, q.file), 'utf8');
      expect(q.bytes, `${q.experiment}/${q.file}`).toBe(sql.length * 1000);
    }
    expect(out.estimate.totalBytes).toBe(out.estimate.queries.reduce((a, q) => a + q.bytes, 0));
    const text = await cli(['compile', '--estimate', '-t', 'bq']);
    expect(text.stdout).toMatch(new RegExp(`^estimate total: [\\d.]+ (KiB|MiB) \\(\\d+ bytes\\) in ${8 * STEPS.length + 3} queries$`, 'm'));
    const local = await cli(['compile', '--estimate']);
    expect(local.code).toBe(0);
    expect(local.stderr).toContain("target 'local' (duckdb) gives no dry-run byte estimates");
  });

  it('run gives the same decisions and statistics as the DuckDB target, with labelled jobs and bytes in the summary', async () => {
    const specs = ['checkout_redesign', 'homepage_aa', 'mobile_onboarding', 'pricing_banner'];
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
      // Capped metrics and dimension breakdowns included: the fake runs BigQuery's exact PERCENTILE_CONT and MIN_BY.
      for (const part of ['exposures', 'sources', 'checks', 'metrics', 'decision']) {
        expect(close(ra[part], rb[part]), `${e.id} ${part}`).toBe(true);
      }
    }
    const all = fake.requestsTo('insert').slice(inserts).map((r) => r.body?.configuration as { dryRun?: boolean; labels: Record<string, string> });
    // The catalogue read (run's first step, shared by the specs): one job, no dry run, no table bytes.
    expect(all.filter((j) => j.labels.exptrack_step === 'catalogue').map((j) => Boolean(j.dryRun))).toEqual([false]);
    const jobs = all.filter((j) => j.labels.exptrack_step !== 'catalogue');
    expect(jobs.filter((j) => !j.dryRun)).toHaveLength(specs.length * STEPS.length);
    expect(jobs.filter((j) => j.dryRun)).toHaveLength(specs.length * STEPS.length);
    expect(new Set(jobs.map((j) => `${j.labels.exptrack_experiment}/${j.labels.exptrack_step}/${j.labels.team}`))).toEqual(
      new Set(specs.flatMap((s) => STEPS.map((st) => `${s}/${st.name}/growth`))),
    );
    expect(bq.stderr).toMatch(/\[2\/6\] metrics \.\.\. \d+ rows, \d+ ms, [\d.]+ (KiB|MiB) scanned \(dry-run estimate\)/);
  }, 240_000);
});
