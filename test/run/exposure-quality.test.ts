// The exposure-quality checks on a copy of the demo warehouse with planted rows: exposure rows without an
// experiment key (EXPOSURE_MISSING_KEY) and employees left in a spec that does not exclude the model's
// internal-traffic filter (MARKED_TRAFFIC); a metric source whose events carry the experiment key, some
// before the unit's first exposure (EVENTS_BEFORE_EXPOSURE). Expected counts come from plain SQL over the
// raw tables.
import { readFileSync, writeFileSync } from 'node:fs';
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
    // Events tagged with checkout_redesign: one an hour after each of 200 users' first exposure, one a day
    // before it for 50 of them, and 10 of ids never exposed.
    await conn.run('CREATE TABLE main.tagged_events (user_id VARCHAR, experiment_key VARCHAR, variant VARCHAR, event_at TIMESTAMP)');
    await conn.run(`INSERT INTO main.tagged_events
      WITH firsts AS (SELECT user_id, MIN(exposed_at) AS first_at FROM main.exposures WHERE experiment_key = 'checkout_redesign' AND ${window}
        GROUP BY user_id ORDER BY user_id LIMIT 200)
      SELECT user_id, 'checkout_redesign', 'control', first_at + INTERVAL 1 HOUR FROM firsts
      UNION ALL SELECT user_id, 'checkout_redesign', 'control', first_at - INTERVAL 1 DAY FROM (SELECT * FROM firsts ORDER BY user_id LIMIT 50)
      UNION ALL SELECT 'never-' || i, 'checkout_redesign', 'control', TIMESTAMP '2026-10-20 00:00:00' FROM range(10) AS r(i)`);
    counts.tagged = await q(`SELECT COUNT(*) AS n FROM main.tagged_events WHERE event_at >= TIMESTAMP '2026-10-04'`);
    counts.early = await q(`SELECT COUNT(*) AS n FROM main.tagged_events AS t WHERE event_at >= TIMESTAMP '2026-10-04' AND NOT EXISTS (
      SELECT 1 FROM main.exposures AS x WHERE x.user_id = t.user_id AND x.experiment_key = 'checkout_redesign' AND x.${window} AND x.exposed_at <= t.event_at)`);
    await conn.run('CHECKPOINT');
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
  writeFileSync(join(project, 'models', 'tagged.yaml'), `sources:
  tagged_events:
    table: main.tagged_events
    units: { user: user_id }
    timestamp: event_at
    experiment_key: experiment_key
    variant: variant
metrics:
  tagged_clicks:
    type: count
    source: tagged_events
`);
  const spec = readFileSync(join(project, 'specs', 'checkout_redesign.yaml'), 'utf8')
    .replace('id: checkout_redesign\n', 'id: checkout_tagged\n')
    .replace('secondary: [revenue_per_user, revenue_per_order, page_views]', 'secondary: [revenue_per_user, revenue_per_order, page_views, tagged_clicks]');
  writeFileSync(join(project, 'specs', 'checkout_tagged.yaml'), spec);
  const config = loadProjectConfig(project);
  summary = await runProject({ config, target: getTarget(config, undefined), selectors: ['homepage_aa', 'checkout_redesign', 'checkout_tagged'], asOf: DEMO_AS_OF });
});

describe('EXPOSURE_MISSING_KEY', () => {
  it('counts exposure rows without an experiment key, NULL or empty, against every exposure row in the window', () => {
    expect(counts.missing).toBe(300);
    const c = check('checkout_redesign', 'EXPOSURE_MISSING_KEY');
    expect(results('checkout_redesign').data.exposure_quality[0]).toMatchObject({ exposure_rows: counts.rows, missing_key_rows: 300 });
    expect(c).toMatchObject({ status: 'fail', severity: 'warn', measured: `${((300 / counts.rows) * 100).toFixed(2)}%` });
  });
});

describe('EVENTS_BEFORE_EXPOSURE', () => {
  it("counts events tagged with the experiment before the unit's first exposure or without one", () => {
    // 260 planted; the day-before events of users first exposed on the first day fall before the window.
    expect(counts.tagged).toBeGreaterThan(250);
    expect(counts.early).toBe(counts.tagged - 200);
    expect(results('checkout_tagged').data.exposure_quality[0]).toMatchObject({ tagged_events: counts.tagged, early_events: counts.early });
    expect(check('checkout_tagged', 'EVENTS_BEFORE_EXPOSURE')).toMatchObject({ status: 'fail', severity: 'warn', measured: `${((counts.early / counts.tagged) * 100).toFixed(2)}%` });
  });

  it('has nothing to check when no metric source carries the experiment key', () => {
    expect(check('checkout_redesign', 'EVENTS_BEFORE_EXPOSURE')).toMatchObject({ status: 'pass', measured: 'n/a' });
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
