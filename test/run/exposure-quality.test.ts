// The exposure-quality checks on a copy of the demo warehouse with planted rows: exposure rows without an
// experiment key (EXPOSURE_MISSING_KEY) and employees left in a spec that does not exclude the model's
// internal-traffic filter (MARKED_TRAFFIC). Expected counts come from plain SQL over the raw tables.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { getTarget, loadProjectConfig } from '../../src/config/project-config.js';
import { DEMO_AS_OF } from '../../src/demo/build-demo-data.js';
import type { Results } from '../../src/run/results.js';
import { runProject, type RunSummary } from '../../src/run/run-project.js';
import { demoProject } from '../helpers/demo-project.js';

let project: string;
let summary: RunSummary;
const counts: Record<string, number> = {};
const results = (id: string): Results => JSON.parse(readFileSync(join(summary.experiments.find((e) => e.id === id)!.packageDir, 'results.json'), 'utf8')) as Results;
const check = (id: string, code: string) => results(id).checks.find((c) => c.reasonCode === code)!;

beforeAll(async () => {
  project = await demoProject();
  const instance = await DuckDBInstance.create(join(project, 'target', 'demo.duckdb'));
  const conn = await instance.connect();
  try {
    // 300 exposure rows whose key was lost (NULL or empty), inside the window.
    await conn.run(`INSERT INTO main.exposures SELECT 'lost-' || i, CASE WHEN i % 2 = 0 THEN NULL ELSE '' END, 'control',
      TIMESTAMP '2026-10-10 00:00:00' + to_seconds(i), TIMESTAMP '2026-10-10 01:00:00', 'US', 'web', false FROM range(300) AS r(i)`);
    const q = async (sql: string) => Number((await conn.runAndReadAll(sql)).getRowObjectsJS()[0].n);
    const window = "exposed_at >= TIMESTAMP '2026-10-04' AND exposed_at < TIMESTAMP '2026-11-01'";
    counts.rows = await q(`SELECT COUNT(*) AS n FROM main.exposures WHERE ${window}`);
    counts.missing = await q(`SELECT COUNT(*) AS n FROM main.exposures WHERE ${window} AND (experiment_key IS NULL OR experiment_key = '')`);
    // homepage_aa's analysed units (one variant) with any employee exposure row in the window.
    counts.employees = await q(`SELECT COUNT(*) AS n FROM (SELECT user_id FROM main.exposures WHERE experiment_key = 'homepage_aa' AND ${window}
      GROUP BY user_id HAVING COUNT(DISTINCT variant) = 1) AS u WHERE user_id IN (SELECT user_id FROM main.exposures WHERE is_employee AND ${window})`);
    await conn.run('CHECKPOINT');
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
  const config = loadProjectConfig(project);
  summary = await runProject({ config, target: getTarget(config, undefined), selectors: ['homepage_aa', 'checkout_redesign'], asOf: DEMO_AS_OF });
});

describe('EXPOSURE_MISSING_KEY', () => {
  it('counts exposure rows without an experiment key, NULL or empty, against every exposure row in the window', () => {
    expect(counts.missing).toBe(300);
    const c = check('checkout_redesign', 'EXPOSURE_MISSING_KEY');
    expect(results('checkout_redesign').data.exposure_quality[0]).toMatchObject({ exposure_rows: counts.rows, missing_key_rows: 300 });
    expect(c).toMatchObject({ status: 'fail', severity: 'warn', measured: `${((300 / counts.rows) * 100).toFixed(2)}%` });
  });
});

describe('MARKED_TRAFFIC', () => {
  it("flags employees left in a spec that does not exclude the models' internal_traffic filter", () => {
    expect(counts.employees).toBeGreaterThan(50);
    const c = check('homepage_aa', 'MARKED_TRAFFIC');
    expect(c).toMatchObject({ status: 'fail', severity: 'warn' });
    expect(results('homepage_aa').data.exposure_quality[0]).toMatchObject({ marked_units: counts.employees });
    expect(c.message).toContain('internal_traffic (internal)');
  });

  it('passes when the spec excludes the marked filter', () => {
    expect(check('checkout_redesign', 'MARKED_TRAFFIC')).toMatchObject({ status: 'pass', measured: 'n/a' });
    expect(results('checkout_redesign').data.exposure_quality[0]).toMatchObject({ marked_units: 0 });
  });
});
