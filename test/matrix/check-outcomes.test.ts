// The checks INSUFFICIENT_SAMPLES, LARGE_SPLIT_WARN and MULTIPLE_EXPOSURE evaluated through the real
// pipeline (runProject) on every warehouse that runs here, with a spec's severity override (error,
// warn, off) deciding what the failed check does to the decision. The counts the checks read come from
// the warehouse's SQL, so this runs on DuckDB and on the real PostgreSQL server over the same data.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { getTarget, loadProjectConfig, type Target } from '../../src/config/project-config.js';
import type { CheckResult, Results } from '../../src/run/results.js';
import { runProject, type RunSummary } from '../../src/run/run-project.js';
import { getWarehouse } from '../../src/warehouse/registry.js';
import { branchProject, branchSpec } from '../helpers/branch-project.js';
import { freshDatabaseFrom } from '../helpers/load-demo-into-postgres.js';
import { postgresServer, postgresTarget } from '../helpers/postgres-database.js';
import { MATRIX_WAREHOUSES, type MatrixWarehouse } from '../helpers/warehouse-matrix.js';

const DATABASE = 'exptrack_check_outcomes';
const cr = (id: string, checks: string) => branchSpec(id, { key: 'checkout_redesign', variants: [['control', 0.5], ['one_page', 0.5]], extra: `metrics: { primary: order_completed }\nchecks: ${checks}` });
const split = (id: string, checks: string) => branchSpec(id, { key: 'homepage_aa', variants: [['a', 0.3], ['b', 0.7]], extra: `metrics: { primary: order_completed }\nchecks: ${checks}` });

const SPECS: Record<string, string> = {
  defaults: cr('defaults', '{}'),
  // Two checks per spec keeps the warehouse work small: each failing at its default severity, then as errors.
  strict_warn: cr('strict_warn', '{ insufficient_samples: { min_units: 100000 }, multiple_exposure: { max_share: 0.001 } }'),
  strict_error: cr('strict_error', '{ insufficient_samples: { min_units: 100000, severity: error }, multiple_exposure: { max_share: 0.001, severity: error } }'),
  samples_off: cr('samples_off', '{ insufficient_samples: { min_units: 100000, severity: off } }'),
  // Planned 30/70 on data split 50/50: the ratio check fails (error) unless turned off.
  split_srm: split('split_srm', '{}'),
  split_srm_off: split('split_srm_off', '{ srm: { severity: off } }'),
  // Three arms (test/helpers/branch-project.ts): the multi-arm SQL on Postgres too.
  two_winners: branchSpec('two_winners', { source: 'relabelled_exposures', key: 'two_winners', variants: [['control', 0.5], ['win_a', 0.25], ['win_b', 0.25]] }),
};

let project: string;
const targets = new Map<MatrixWarehouse, Target>();
const runs = new Map<MatrixWarehouse, { summary: RunSummary; results: Map<string, Results>; multiExposed: number }>();

beforeAll(async () => {
  project = await branchProject(SPECS);
  targets.set('duckdb', getTarget(loadProjectConfig(project), undefined));
  const server = postgresServer();
  await freshDatabaseFrom(server, DATABASE, join(project, 'target', 'demo.duckdb'));
  targets.set('postgres', postgresTarget(server, DATABASE));
}, 240_000);

const check = (r: Results, code: string): CheckResult => r.checks.find((c) => c.reasonCode === code)!;

describe.each(MATRIX_WAREHOUSES)('check outcomes on %s', (warehouse) => {
  beforeAll(async () => {
    const config = loadProjectConfig(project);
    const target = targets.get(warehouse)!;
    const summary = await runProject({ config, target, selectors: [], asOf: config.asOf!, reportsDir: join(project, 'reports', warehouse) });
    const results = new Map(summary.experiments.map((s) => [s.id, JSON.parse(readFileSync(join(s.packageDir, 'results.json'), 'utf8')) as Results]));
    // An independent count of the units seen in more than one arm, straight from the exposures table.
    const bounds = results.get('defaults')!.bounds;
    const adapter = await getWarehouse(target.type).createAdapter(target.settings, { projectRoot: config.root, targetName: target.name });
    let multiExposed: number;
    try {
      const ts = (iso: string) => `TIMESTAMP '${iso.replace('T', ' ').replace('Z', '')}'`;
      const rows = await adapter.query(
        `SELECT count(*) AS n FROM (SELECT user_id FROM main.exposures WHERE experiment_key = 'checkout_redesign'
           AND exposed_at >= ${ts(bounds.start)} AND exposed_at < ${ts(bounds.exposureEnd)}
           GROUP BY user_id HAVING count(DISTINCT variant) > 1) AS t`,
        { experiment: 'check_outcomes', step: 'independent_count' },
      );
      multiExposed = Number(rows[0].n);
    } finally {
      await adapter.close();
    }
    runs.set(warehouse, { summary, results, multiExposed });
  }, 240_000);

  const r = (id: string) => runs.get(warehouse)!.results.get(id)!;

  it('defaults: every check passes and the planted winner ships', () => {
    for (const code of ['INSUFFICIENT_SAMPLES', 'LARGE_SPLIT_WARN', 'MULTIPLE_EXPOSURE', 'SRM_DETECTED']) expect(check(r('defaults'), code).status, code).toBe('pass');
    expect(r('defaults').decision).toMatchObject({ recommendation: 'ship', variant: 'one_page' });
  });

  it('INSUFFICIENT_SAMPLES: warn reports the failure but keeps SHIP; error forces RERUN; off is not evaluated', () => {
    const warn = check(r('strict_warn'), 'INSUFFICIENT_SAMPLES');
    expect(warn).toMatchObject({ status: 'fail', severity: 'warn' });
    expect(warn.message).toMatch(/^Arms below 100,000 units: control \([\d,]+\), one_page \([\d,]+\)\.$/);
    expect(r('strict_warn').decision.recommendation).toBe('ship');

    expect(check(r('strict_error'), 'INSUFFICIENT_SAMPLES')).toMatchObject({ status: 'fail', severity: 'error' });
    expect(r('strict_error').decision).toMatchObject({ recommendation: 'rerun', variant: null });
    expect(r('strict_error').decision.reasons.map((x) => x.code)).toContain('INSUFFICIENT_SAMPLES');

    expect(check(r('samples_off'), 'INSUFFICIENT_SAMPLES')).toMatchObject({ status: 'off', severity: 'off' });
    expect(r('samples_off').decision.recommendation).toBe('ship');
  });

  it('the arms the check counts are the analysed units of results.json', () => {
    const warn = check(r('strict_warn'), 'INSUFFICIENT_SAMPLES');
    const smallest = Math.min(...r('strict_warn').exposures.variants.map((v) => v.units));
    expect(smallest).toBeGreaterThan(4000);
    expect(warn.measured).toBe(`${smallest.toLocaleString('en-US')} units`);
  });

  it("MULTIPLE_EXPOSURE: counts the units seen in both arms as the warehouse's own count does, and fails past max_share", () => {
    const { multiExposed } = runs.get(warehouse)!;
    expect(multiExposed).toBeGreaterThan(0);
    expect(r('defaults').exposures.multipleVariantUnits).toBe(multiExposed);
    const total = r('defaults').exposures.analysedUnits + multiExposed;
    const share = `${((multiExposed / total) * 100).toFixed(2)}%`;
    expect(check(r('defaults'), 'MULTIPLE_EXPOSURE')).toMatchObject({ status: 'pass', measured: share });
    expect(check(r('strict_warn'), 'MULTIPLE_EXPOSURE')).toMatchObject({ status: 'fail', severity: 'warn', measured: share, threshold: '> 0.10%' });
    expect(r('strict_warn').decision.recommendation).toBe('ship');
    expect(check(r('strict_error'), 'MULTIPLE_EXPOSURE')).toMatchObject({ status: 'fail', severity: 'error' });
    expect(r('strict_error').decision.reasons.map((x) => x.code).sort()).toEqual(['INSUFFICIENT_SAMPLES', 'MULTIPLE_EXPOSURE']);
  });

  it('LARGE_SPLIT_WARN: a 70% arm is named; turning the ratio check off removes the RERUN it would force', () => {
    for (const id of ['split_srm', 'split_srm_off']) {
      expect(check(r(id), 'LARGE_SPLIT_WARN')).toMatchObject({ status: 'fail', severity: 'warn', measured: '70%', message: 'b is planned at 70% of traffic.' });
    }
    expect(check(r('split_srm'), 'SRM_DETECTED')).toMatchObject({ status: 'fail', severity: 'error' });
    expect(r('split_srm').decision.recommendation).toBe('rerun');
    expect(check(r('split_srm_off'), 'SRM_DETECTED')).toMatchObject({ status: 'off', severity: 'off' });
    expect(r('split_srm_off').decision.recommendation).toBe('iterate');
    const failed = runs.get(warehouse)!.summary.experiments.find((e) => e.id === 'split_srm_off')!.failedChecks;
    expect(failed).toContainEqual({ reasonCode: 'LARGE_SPLIT_WARN', severity: 'warn' });
    expect(failed.filter((c) => c.severity !== 'warn')).toEqual([]);
  });
});

describe('the check outcomes agree across warehouses', () => {
  it.each(MATRIX_WAREHOUSES.filter((w) => w !== 'duckdb'))('%s: every check and decision of every spec as on DuckDB', (warehouse) => {
    for (const id of Object.keys(SPECS)) {
      expect(runs.get(warehouse)!.results.get(id)!.checks, id).toEqual(runs.get('duckdb')!.results.get(id)!.checks);
      expect(runs.get(warehouse)!.results.get(id)!.decision, id).toEqual(runs.get('duckdb')!.results.get(id)!.decision);
    }
    const arms = runs.get(warehouse)!.results.get('two_winners')!.exposures.variants.map((v) => v.key);
    expect(arms).toEqual(['control', 'win_a', 'win_b']);
    expect(runs.get(warehouse)!.results.get('two_winners')!.decision.recommendation).toBe('ship');
  });
});
