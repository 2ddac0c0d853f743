// The assignment audit on the demo warehouse: recommendation_carousel declares md5_shards and has 2% of
// its users planted in the other variant; the warehouse's count must equal a recount with the
// exptrack/assignment function over the raw exposure rows, and the specs that declare no scheme pass.
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { assignVariant } from '../../src/assignment/index.js';
import { getTarget, loadProjectConfig } from '../../src/config/project-config.js';
import { DEMO_TRUTH } from '../../src/demo/build-demo-data.js';
import { readFileSync } from 'node:fs';
import type { Results } from '../../src/run/results.js';
import { runProject, type RunSummary } from '../../src/run/run-project.js';
import { demoProject } from '../helpers/demo-project.js';

let project: string;
let summary: RunSummary;
const results = (id: string): Results => JSON.parse(readFileSync(join(summary.experiments.find((e) => e.id === id)!.packageDir, 'results.json'), 'utf8')) as Results;

beforeAll(async () => {
  project = await demoProject();
  const config = loadProjectConfig(project);
  summary = await runProject({ config, target: getTarget(config, undefined), selectors: ['recommendation_carousel', 'homepage_aa', 'checkout_redesign'], asOf: DEMO_TRUTH.asOf });
});

/** Units with exactly one logged variant (employees excluded, as the spec's audience does) and how many differ from the TS assignment. */
async function recount(experiment: string): Promise<{ audited: number; mismatched: number }> {
  const instance = await DuckDBInstance.create(join(project, 'target', 'demo.duckdb'), { access_mode: 'READ_ONLY' });
  const conn = await instance.connect();
  try {
    const rows = (await conn.runAndReadAll(`
      SELECT user_id, MIN(variant) AS variant FROM main.exposures
      WHERE experiment_key = '${experiment}' AND exposed_at >= TIMESTAMP '2026-10-04' AND exposed_at < TIMESTAMP '2026-11-01'
        AND user_id NOT IN (SELECT user_id FROM main.exposures WHERE is_employee AND exposed_at >= TIMESTAMP '2026-10-04' AND exposed_at < TIMESTAMP '2026-11-01')
      GROUP BY user_id HAVING COUNT(DISTINCT variant) = 1`)).getRowObjectsJS() as { user_id: string; variant: string }[];
    const variants = [{ key: 'control', weight: 0.5 }, { key: 'carousel', weight: 0.5 }];
    return { audited: rows.length, mismatched: rows.filter((r) => assignVariant(experiment, r.user_id, variants) !== r.variant).length };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

describe('ASSIGNMENT_MISMATCH', () => {
  it('finds the planted 2% of users logged in another variant than the declared scheme assigns', async () => {
    const r = results('recommendation_carousel');
    const check = r.checks.find((c) => c.reasonCode === 'ASSIGNMENT_MISMATCH')!;
    const { audited, mismatched } = await recount('recommendation_carousel');
    expect(audited).toBeGreaterThan(9000);
    expect(mismatched / audited).toBeGreaterThan(0.015);
    expect(mismatched / audited).toBeLessThan(0.025);
    const rows = r.data.assignment;
    expect(rows.reduce((a, x) => a + Number(x.units), 0)).toBe(audited);
    expect(rows.filter((x) => x.variant !== x.expected_variant).reduce((a, x) => a + Number(x.units), 0)).toBe(mismatched);
    expect(check).toMatchObject({ status: 'fail', severity: 'error', measured: `${((mismatched / audited) * 100).toFixed(2)}%` });
    expect(r.decision.recommendation).toBe('rerun');
    expect(summary.experiments.find((e) => e.id === 'recommendation_carousel')!.failedChecks).toContainEqual({ reasonCode: 'ASSIGNMENT_MISMATCH', severity: 'error' });
  });

  it('passes, with nothing to audit, on the demo specs that declare no assignment scheme', () => {
    for (const id of ['homepage_aa', 'checkout_redesign']) {
      const check = results(id).checks.find((c) => c.reasonCode === 'ASSIGNMENT_MISMATCH')!;
      expect(check, id).toMatchObject({ status: 'pass', measured: 'n/a' });
      expect(results(id).data.assignment, id).toBeUndefined();
    }
  });
});
