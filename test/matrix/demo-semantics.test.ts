// The whole demo on every warehouse that runs here, on the same data: DuckDB builds the demo warehouse,
// the loader copies it into a real PostgreSQL server, runProject runs the eight specs on each, and every
// statistic of results.json must agree across warehouses to 1e-9 (relative); the aggregate rows (and
// so dataDigest) must be identical.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { getTarget, loadProjectConfig, type Target } from '../../src/config/project-config.js';
import type { Results } from '../../src/run/results.js';
import { runProject, type RunSummary } from '../../src/run/run-project.js';
import { SHIFT_BINS } from '../../src/compile/artifacts.js';
import { DuckDBInstance } from '@duckdb/node-api';
import { compareResults } from '../helpers/compare-results.js';
import { demoProject } from '../helpers/demo-project.js';
import { freshDatabaseFrom } from '../helpers/load-demo-into-postgres.js';
import { columnKind, DUCKDB_SPELLING, fingerprintSql, POSTGRES_SPELLING } from '../helpers/table-fingerprint.js';
import { adminClient, postgresServer, postgresTarget } from '../helpers/postgres-database.js';

const WAREHOUSES = ['duckdb', 'postgres'] as const;
type WarehouseName = (typeof WAREHOUSES)[number];
const DATABASE = 'exptrack_demo_semantics';
const TOLERANCE = 1e-9;

let project: string;
const targets = new Map<WarehouseName, Target>();
const runs = new Map<WarehouseName, { summary: RunSummary; results: Map<string, Results> }>();

beforeAll(async () => {
  project = await demoProject();
  const config = loadProjectConfig(project);
  targets.set('duckdb', getTarget(config, undefined));
  const server = postgresServer();
  await freshDatabaseFrom(server, DATABASE, join(project, 'target', 'demo.duckdb'));
  targets.set('postgres', postgresTarget(server, DATABASE));
});

describe('the demo loader', () => {
  it('copies every table into Postgres exactly: same rows, timestamps to the microsecond', async () => {
    const instance = await DuckDBInstance.create(join(project, 'target', 'demo.duckdb'), { access_mode: 'READ_ONLY' });
    const duck = await instance.connect();
    const admin = await adminClient(postgresServer(), DATABASE);
    try {
      const cols = (await duck.runAndReadAll(`SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'main' ORDER BY ordinal_position`))
        .getRowObjectsJS() as { table_name: string; column_name: string; data_type: string }[];
      const tables = [...new Set(cols.map((c) => c.table_name))].sort();
      expect(tables).toEqual(['app_events', 'exposures', 'web_events']);
      for (const table of tables) {
        const columns = cols.filter((c) => c.table_name === table).map((c) => ({ name: c.column_name, kind: columnKind(c.data_type) }));
        const [d] = (await duck.runAndReadAll(fingerprintSql(`main."${table}"`, columns, DUCKDB_SPELLING))).getRowObjectsJS();
        const { rows: [p] } = await admin.query(fingerprintSql(`main."${table}"`, columns, POSTGRES_SPELLING));
        expect(Number(d.n), table).toBeGreaterThan(1000);
        expect({ n: p.n, digest: p.digest }, table).toEqual({ n: d.n, digest: d.digest });
      }
    } finally {
      await admin.end();
      duck.closeSync();
      instance.closeSync();
    }
  });
});

describe.each(WAREHOUSES)('the demo on %s', (warehouse) => {
  beforeAll(async () => {
    const config = loadProjectConfig(project);
    const summary = await runProject({
      config,
      target: targets.get(warehouse)!,
      selectors: [],
      asOf: config.asOf!,
      reportsDir: join(project, 'reports', warehouse),
    });
    const results = new Map(summary.experiments.map((s) => [s.id, JSON.parse(readFileSync(join(s.packageDir, 'results.json'), 'utf8')) as Results]));
    runs.set(warehouse, { summary, results });
  });

  it('runs all eight specs and finds what is planted in the data', () => {
    const { summary, results } = runs.get(warehouse)!;
    expect(summary.target.type).toBe(warehouse);
    expect([...results.keys()].sort()).toEqual(['checkout_layout_copy', 'checkout_redesign', 'homepage_aa', 'homepage_hero', 'mobile_onboarding', 'pricing_banner', 'recommendation_carousel', 'upsell_widget']);
    expect(results.get('recommendation_carousel')!.checks.find((c) => c.reasonCode === 'ASSIGNMENT_MISMATCH')!.status).toBe('fail');
    for (const id of ['checkout_redesign', 'homepage_aa', 'mobile_onboarding', 'pricing_banner']) {
      expect(results.get(id)!.checks.find((c) => c.reasonCode === 'ASSIGNMENT_MISMATCH')!.status, id).toBe('pass');
    }
    expect(results.get('checkout_redesign')!.decision).toMatchObject({ recommendation: 'ship', variant: 'one_page' });
    expect(results.get('homepage_aa')!.decision.recommendation).not.toBe('ship');
    expect(results.get('pricing_banner')!.checks.find((c) => c.reasonCode === 'SRM_DETECTED')!.status).toBe('fail');
    expect(results.get('mobile_onboarding')!.checks.find((c) => c.reasonCode === 'DATA_STALE')!.status).toBe('fail');
    // Round two: the rank test (08_ranks on this warehouse), the 2x2 interaction and the three-arm bandit advice.
    const mw = results.get('upsell_widget')!.metrics.find((m) => m.name === 'revenue_per_user')!.mannWhitney![0];
    expect(mw.probabilityOfSuperiority).toBeGreaterThan(0.5);
    expect(mw.pValue).toBeLessThan(0.05);
    const interaction = results.get('checkout_layout_copy')!.factorial!.metrics[0].effects.find((e) => e.kind === 'interaction')!;
    expect(interaction.effect.ci[0]!).toBeGreaterThan(0);
    const advice = results.get('homepage_hero')!.bandit!.arms;
    expect(advice.map((a) => a.variant)).toEqual(['control', 'hero_video', 'hero_reviews']);
    expect(advice.find((a) => a.variant === 'hero_reviews')!.advisedWeight).toBeGreaterThan(0.5);
    expect(summary.exitCode).toBe(1);
  });

  it('moves only aggregates', () => {
    for (const s of runs.get(warehouse)!.summary.experiments) {
      // Input fingerprints add one row per source and UTC day (plus a total): bounded by days, not units.
      const fingerprints = runs.get(warehouse)!.results.get(s.id)!.data.fingerprints;
      expect(fingerprints.length).toBeLessThanOrEqual(3 * 44);
      // The daily series adds one row per variant and UTC exposure day: bounded by days, not units.
      const r = runs.get(warehouse)!.results.get(s.id)!;
      expect(r.data.daily.length).toBeLessThanOrEqual(r.experiment.variants.length * 44);
      // The Hodges-Lehmann shift bins: per arm at most SHIFT_BINS rows per ranking, whatever the units.
      const shiftBins = r.data.shift_bins?.length ?? 0;
      expect(shiftBins).toBeLessThanOrEqual(2 * SHIFT_BINS * (r.experiment.analysis.mannWhitney?.length ?? 0) * (r.experiment.variants.length - 1));
      expect(s.rowsTransferred - fingerprints.length - r.data.daily.length - shiftBins).toBeLessThan(40);
    }
  });
});

describe('every warehouse agrees with DuckDB', () => {
  it.each(WAREHOUSES.filter((w) => w !== 'duckdb'))('%s: every number of results.json within 1e-9 relative, every text equal', (warehouse) => {
    const base = runs.get('duckdb')!.results;
    const other = runs.get(warehouse)!.results;
    let numbers = 0;
    let worst = 0;
    for (const [id, r] of base) {
      const agreement = compareResults(r, other.get(id), TOLERANCE);
      expect(agreement.disagreements, id).toEqual([]);
      // The statistics themselves, not only the raw rows, must have been compared.
      expect(r.metrics.flatMap((m) => m.arms).length).toBeGreaterThan(0);
      numbers += agreement.numbers;
      worst = Math.max(worst, agreement.maxRelativeDifference);
    }
    expect(numbers).toBeGreaterThan(500);
    // The comparison itself notices a difference just above the tolerance.
    const [id, r] = [...base][0];
    const nudged = structuredClone(other.get(id)!);
    nudged.metrics[0].arms[0].mean *= 1 + 10 * TOLERANCE;
    expect(compareResults(r, nudged, TOLERANCE).disagreements.map((d) => d.path)).toEqual(['metrics[0].arms[0].mean']);
    process.stderr.write(`${warehouse} vs duckdb: ${numbers} numbers compared, largest relative difference ${worst.toExponential(2)}\n`);
  });
});
