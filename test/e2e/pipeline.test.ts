import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { SHIFT_BINS } from '../../src/compile/artifacts.js';
import { getTarget, loadProjectConfig } from '../../src/config/project-config.js';
import { DEMO_TRUTH } from '../../src/demo/build-demo-data.js';
import type { Results } from '../../src/run/results.js';
import { runProject, type RunSummary } from '../../src/run/run-project.js';
import { verifyPackage } from '../../src/report/verify-package.js';
import { compareTreatment } from '../../src/stats/index.js';
import { demoProject } from '../helpers/demo-project.js';

// The whole path on the embedded warehouse: demo data -> compile -> DuckDB -> statistics -> package.
let project: string;
let summary: RunSummary;
const results = new Map<string, Results>();

beforeAll(async () => {
  project = await demoProject();
  const config = loadProjectConfig(project);
  summary = await runProject({ config, target: getTarget(config, undefined), selectors: [], asOf: config.asOf! });
  for (const s of summary.experiments) results.set(s.id, JSON.parse(readFileSync(join(s.packageDir, 'results.json'), 'utf8')));
});

const primary = (id: string) => results.get(id)!.metrics.find((m) => m.role === 'primary')!;

describe('demo run on DuckDB', () => {
  it('writes one package per demo spec and exits 1 because three specs fail error checks', () => {
    expect(summary.experiments.map((e) => e.id).sort()).toEqual(['checkout_layout_copy', 'checkout_redesign', 'homepage_aa', 'homepage_hero', 'mobile_onboarding', 'pricing_banner', 'recommendation_carousel', 'upsell_widget']);
    expect(summary.exitCode).toBe(1);
  });

  it('recommends shipping the planted winner, and its primary CI covers the planted lift', () => {
    const r = results.get('checkout_redesign')!;
    expect(r.decision.recommendation).toBe('ship');
    expect(r.decision.variant).toBe('one_page');
    const truth = DEMO_TRUTH.experiments.checkout_redesign.rates;
    const c = primary('checkout_redesign').comparisons[0];
    const plantedAbsolute = truth.one_page - truth.control;
    const plantedRelative = plantedAbsolute / truth.control;
    expect(c.absolute.ci[0]).toBeLessThan(plantedAbsolute);
    expect(c.absolute.ci[1]).toBeGreaterThan(plantedAbsolute);
    expect(c.relative.ci[0]).toBeLessThan(plantedRelative);
    expect(c.relative.ci[1]).toBeGreaterThan(plantedRelative);
    expect(r.checks.filter((x) => x.status === 'fail')).toEqual([]);
  });

  it('does not recommend shipping the A/A test', () => {
    const r = results.get('homepage_aa')!;
    expect(r.decision.recommendation).not.toBe('ship');
    expect(primary('homepage_aa').comparisons[0].relative.pValue).toBeGreaterThan(0.05);
  });

  it('detects the planted sample ratio mismatch and recommends rerun', () => {
    const r = results.get('pricing_banner')!;
    const srm = r.checks.find((c) => c.reasonCode === 'SRM_DETECTED')!;
    expect(srm.status).toBe('fail');
    expect(r.decision.recommendation).toBe('rerun');
    expect(r.decision.reasons.map((x) => x.code)).toContain('SRM_DETECTED');
    expect(readFileSync(join(summary.experiments.find((e) => e.id === 'pricing_banner')!.packageDir, 'report.md'), 'utf8')).toContain('SRM_DETECTED');
  });

  it('raises DATA_STALE for the source that stopped loading, naming it', () => {
    const r = results.get('mobile_onboarding')!;
    const stale = r.checks.find((c) => c.reasonCode === 'DATA_STALE')!;
    expect(stale.status).toBe('fail');
    expect(stale.message).toContain('app_events');
    expect(stale.message).not.toContain('exposures latest');
    const app = r.sources.find((s) => s.name === 'app_events')!;
    expect(app.hoursSinceLatestEvent).toBeGreaterThan(48);
    expect(r.decision.recommendation).toBe('rerun');
  });

  it('moves only aggregates: rows transferred depend on variants and dimension values, not on units', () => {
    for (const s of summary.experiments) {
      // Input fingerprints add one row per source and UTC day (plus a total): bounded by days, not units.
      const fingerprints = results.get(s.id)!.data.fingerprints;
      expect(fingerprints.length).toBeLessThanOrEqual(3 * 32);
      // The daily series adds one row per variant and UTC exposure day.
      const daily = results.get(s.id)!.data.daily;
      expect(daily.length).toBeLessThanOrEqual(results.get(s.id)!.experiment.variants.length * 29);
      // The Hodges-Lehmann shift bins: per arm at most SHIFT_BINS rows per ranking, whatever the units.
      const r = results.get(s.id)!;
      const shiftBins = r.data.shift_bins?.length ?? 0;
      expect(shiftBins).toBeLessThanOrEqual(2 * SHIFT_BINS * (r.experiment.analysis.mannWhitney?.length ?? 0) * (r.experiment.variants.length - 1));
      expect(s.rowsTransferred - fingerprints.length - daily.length - shiftBins).toBeLessThan(40);
    }
    const r = results.get('checkout_redesign')!;
    // 2 variants x (overall + 5 countries + 3 platforms) = 18 metric rows.
    expect(r.data.metrics).toHaveLength(18);
    expect(r.exposures.analysedUnits).toBeGreaterThan(9000);
  });

  it('every package verifies', () => {
    for (const s of summary.experiments) {
      const v = verifyPackage(s.packageDir);
      expect(v.problems).toEqual([]);
      expect(v.ok).toBe(true);
    }
  });

  it('matches an independent hand-written query of the primary metric on the same data', async () => {
    // Written without the templates: first exposure per user, employees and multi-variant users out,
    // any order within 7 days of first exposure.
    const db = await DuckDBInstance.create(join(project, 'target', 'demo.duckdb'), { access_mode: 'READ_ONLY' });
    const con = await db.connect();
    const reader = await con.runAndReadAll(`
      WITH e AS (
        SELECT user_id, min(exposed_at) AS t0, count(DISTINCT variant) AS nv, min(variant) AS variant, bool_or(is_employee) AS emp
        FROM exposures WHERE experiment_key = 'checkout_redesign' AND exposed_at < TIMESTAMP '2026-11-01'
        GROUP BY user_id
      ), u AS (
        SELECT e.variant, e.user_id,
          max(CASE WHEN w.event_name = 'order_completed' AND w.event_at >= e.t0 AND w.event_at < e.t0 + INTERVAL 7 DAY
                   AND w.event_at < TIMESTAMP '2026-11-01' THEN 1 ELSE 0 END) AS converted
        FROM e LEFT JOIN web_events w USING (user_id)
        WHERE e.nv = 1 AND NOT e.emp
        GROUP BY ALL
      )
      SELECT variant, count(*)::INTEGER AS n, sum(converted)::INTEGER AS conversions FROM u GROUP BY variant ORDER BY variant`);
    const rows = reader.getRowObjectsJS() as { variant: string; n: number; conversions: number }[];
    con.closeSync();
    db.closeSync();
    const arms = primary('checkout_redesign').arms;
    for (const row of rows) {
      const arm = arms.find((a) => a.variant === row.variant)!;
      expect(arm.n).toBe(row.n);
      expect(arm.sum).toBe(row.conversions);
    }
  });

  it('is reproducible: a second run on the same data gives the same data digest and statistics', async () => {
    const config = loadProjectConfig(project);
    const again = await runProject({ config, target: getTarget(config, undefined), selectors: ['checkout_redesign'], asOf: config.asOf! });
    const r2: Results = JSON.parse(readFileSync(join(again.experiments[0].packageDir, 'results.json'), 'utf8'));
    const r1 = results.get('checkout_redesign')!;
    expect(again.experiments[0].packageDir).not.toBe(summary.experiments.find((e) => e.id === 'checkout_redesign')!.packageDir);
    expect(r2.dataDigest).toBe(r1.dataDigest);
    expect(r2.metrics).toEqual(r1.metrics);
    expect(r2.decision).toEqual(r1.decision);
  });

  it('narrows the primary interval with CUPED on the correlated pre-period, and the report says by how much', () => {
    const c = primary('checkout_redesign').comparisons[0];
    expect(c.cuped!.varianceReduction).toBeGreaterThan(0.05);
    const u = c.unadjusted!.relative.ci as [number, number];
    const a = c.relative.ci as [number, number];
    expect(a[1] - a[0]).toBeLessThan(u[1] - u[0]);
    expect(c.unadjusted!.ciNarrowing).toBeCloseTo(1 - (a[1] - a[0]) / (u[1] - u[0]), 12);
    const report = readFileSync(join(summary.experiments.find((e) => e.id === 'checkout_redesign')!.packageDir, 'report.md'), 'utf8');
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    expect(report).toContain(`reduced the variance by ${pct(c.cuped!.varianceReduction)}, narrowing the interval by ${pct(c.unadjusted!.ciNarrowing!)}`);
  });

  it('reads the scheduled A/A spec with always-valid (sequential) intervals, wider than fixed-horizon ones', () => {
    const r = results.get('homepage_aa')!;
    expect(r.experiment.analysis.sequential).toBe(true);
    const m = primary('homepage_aa');
    expect(m.method.sequential).toEqual({ tuning: 5000 });
    const fixed = compareTreatment(m.arms[0].stats, m.arms[1].stats, { alpha: r.experiment.alpha, cuped: true });
    const width = (ci: (number | null)[]) => (ci[1] as number) - (ci[0] as number);
    expect(width(m.comparisons[0].relative.ci)).toBeGreaterThan(width(fixed.relative.ci));
    const readme = readFileSync(join(summary.experiments.find((e) => e.id === 'homepage_aa')!.packageDir, 'report.md'), 'utf8');
    expect(readme).toContain('always valid');
  });
});
