// Quantile metrics on every warehouse that runs here (DuckDB in-process, the real PostgreSQL server), on the
// demo data plus the quantile fixture (test/helpers/quantile-project.ts). The order statistics the
// warehouse returns are checked against the per-unit values sorted here; the statistics against
// `exptrack analyze` given the same order statistics; and the two warehouses against each other.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { getTarget, loadProjectConfig, type Target } from '../../src/config/project-config.js';
import type { Results } from '../../src/run/results.js';
import { runProject } from '../../src/run/run-project.js';
import { eventQuantileRanks, quantileOrderRanks, type EventQuantileSums } from '../../src/stats/index.js';
import { getWarehouse } from '../../src/warehouse/registry.js';
import { compareResults } from '../helpers/compare-results.js';
import { CLI, demoProject } from '../helpers/demo-project.js';
import { freshDatabaseFrom } from '../helpers/load-demo-into-postgres.js';
import { postgresServer, postgresTarget } from '../helpers/postgres-database.js';
import { addQuantileSpecs } from '../helpers/quantile-project.js';

const WAREHOUSES = ['duckdb', 'postgres'] as const;
type WarehouseName = (typeof WAREHOUSES)[number];
const DATABASE = 'exptrack_quantile_metrics';
const SPECS = ['checkout_quantile', 'checkout_quantile_primary'];

let project: string;
const targets = new Map<WarehouseName, Target>();
const runs = new Map<WarehouseName, Map<string, { results: Results; dir: string }>>();

beforeAll(async () => {
  project = await demoProject();
  addQuantileSpecs(project);
  const config = loadProjectConfig(project);
  targets.set('duckdb', getTarget(config, undefined));
  const server = postgresServer();
  await freshDatabaseFrom(server, DATABASE, join(project, 'target', 'demo.duckdb'));
  targets.set('postgres', postgresTarget(server, DATABASE));
  for (const w of WAREHOUSES) {
    const summary = await runProject({ config, target: targets.get(w)!, selectors: SPECS, asOf: config.asOf!, reportsDir: join(project, 'reports', w) });
    runs.set(w, new Map(summary.experiments.map((s) => [s.id, { dir: s.packageDir, results: JSON.parse(readFileSync(join(s.packageDir, 'results.json'), 'utf8')) as Results }])));
  }
}, 300_000);

describe.each(WAREHOUSES)('quantile metrics on %s', (warehouse) => {
  it('returns the exact order statistics of the per-unit values at the ranks src/stats computes', async () => {
    const { results, dir } = runs.get(warehouse)!.get('checkout_quantile')!;
    // The per-unit values from the same compiled CTEs, ordered here instead of in the warehouse.
    const sql = readFileSync(join(dir, 'sql', '09_quantiles.sql'), 'utf8');
    const head = sql.slice(0, sql.indexOf('quantile_input AS ('));
    const target = targets.get(warehouse)!;
    const adapter = await getWarehouse(target.type).createAdapter(target.settings, { projectRoot: project, targetName: target.name });
    try {
      let checked = 0;
      for (const m of results.metrics.filter((x) => x.quantile?.levelOf === 'unit')) {
        const column = `m_${results.metrics.findIndex((x) => x.name === m.name) + 1}_y`;
        const rows = await adapter.query(`${head}last_cte AS (SELECT 1 AS x)\nSELECT variant, CAST(${column} AS DOUBLE PRECISION) AS v FROM analysed_values`, { experiment: 'checkout_quantile', step: 'quantiles' });
        for (const arm of m.quantile!.arms) {
          const values = rows
            .filter((r) => r.variant === arm.variant)
            .map((r) => Number(r.v))
            .filter((v) => !m.quantile!.ignoreZeros || v !== 0)
            .sort((a, b) => a - b);
          const ranks = quantileOrderRanks(values.length, m.quantile!.level);
          expect(arm.n, `${m.name} ${arm.variant}`).toBe(values.length);
          expect(arm.ranks).toEqual(ranks);
          expect([arm.lower, arm.estimate, arm.upper]).toEqual([values[ranks.lower - 1], values[ranks.estimate - 1], values[ranks.upper - 1]]);
          // The interval has width here (continuous amounts), so the comparisons are estimable.
          expect(arm.upper).toBeGreaterThan(arm.lower);
          checked++;
        }
      }
      expect(checked).toBe(6);
    } finally {
      await adapter.close();
    }
  });

  it('event level: the order statistics of every matching event, at ranks from the unit-clustered variance', async () => {
    const { results, dir } = runs.get(warehouse)!.get('checkout_quantile')!;
    const m = results.metrics.find((x) => x.name === 'order_value_event_p50')!;
    expect(m.quantile!.levelOf).toBe('event');
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toMatch(/\| Median order value, over orders \(7 days\) \| p50 of events \| `control` \| 593 \(\d+ events\) \|/);
    // The events from the same compiled CTEs; sorted, counted per unit and ranked here instead of in the warehouse.
    const sql = readFileSync(join(dir, 'sql', '09_quantiles.sql'), 'utf8');
    const head = sql.slice(0, sql.indexOf('ordered_events AS ('));
    const target = targets.get(warehouse)!;
    const adapter = await getWarehouse(target.type).createAdapter(target.settings, { projectRoot: project, targetName: target.name });
    try {
      const rows = await adapter.query(`${head}last_cte AS (SELECT 1 AS x)\nSELECT variant, unit_id, CAST(v AS DOUBLE PRECISION) AS v FROM event_input WHERE metric = 'order_value_event_p50'`, { experiment: 'checkout_quantile', step: 'quantiles' });
      for (const arm of m.quantile!.arms) {
        const events = rows.filter((r) => r.variant === arm.variant).map((r) => ({ unit: String(r.unit_id), v: Number(r.v) }));
        const sorted = events.map((e) => e.v).sort((a, b) => a - b);
        const estimate = sorted[Math.ceil(sorted.length * 0.5) - 1];
        const perUnit = new Map<string, { e: number; m: number }>();
        for (const e of events) {
          const u = perUnit.get(e.unit) ?? { e: 0, m: 0 };
          u.e++;
          if (e.v <= estimate) u.m++;
          perUnit.set(e.unit, u);
        }
        const units = [...perUnit.values()];
        const sums: EventQuantileSums = {
          units: units.length,
          events: sorted.length,
          below: { sum: units.reduce((a, u) => a + u.m, 0), sumSquares: units.reduce((a, u) => a + u.m * u.m, 0) },
          eventCount: { sum: units.reduce((a, u) => a + u.e, 0), sumSquares: units.reduce((a, u) => a + u.e * u.e, 0) },
          belowTimesEvents: units.reduce((a, u) => a + u.m * u.e, 0),
        };
        const ranks = eventQuantileRanks(sums, 0.5);
        // Some buyers order more than once, so the events are clustered. The demo draws each order's amount
        // independently, so here the clustered interval is about as wide as the unclustered one (within a few
        // ranks); bench/calibrate-quantile.ts has units whose events are correlated, where it is not.
        expect(sums.events).toBeGreaterThan(sums.units);
        const naive = quantileOrderRanks(sums.events, 0.5);
        expect(Math.abs(ranks.upper - ranks.lower - (naive.upper - naive.lower))).toBeLessThanOrEqual(4);
        expect([arm.n, arm.events]).toEqual([sums.units, sums.events]);
        expect(arm.ranks).toEqual(ranks);
        expect([arm.lower, arm.estimate, arm.upper]).toEqual([sorted[ranks.lower - 1], estimate, sorted[ranks.upper - 1]]);
      }
    } finally {
      await adapter.close();
    }
  });

  it('agrees with `exptrack analyze` given the same order statistics (lift, interval, p-value)', () => {
    const { results } = runs.get(warehouse)!.get('checkout_quantile')!;
    for (const m of results.metrics.filter((x) => x.quantile)) {
      const csv = join(project, `${warehouse}-${m.name}.csv`);
      const lines = m.quantile!.arms.map((a) => `${a.variant},${a.n},${a.estimate},${a.lower},${a.upper}`);
      writeFileSync(csv, `variant,units,quantile,quantile_lower,quantile_upper\n${lines.join('\n')}\n`);
      const out = JSON.parse(execFileSync(process.execPath, [CLI, 'analyze', csv, '--json', '--quantile', String(m.quantile!.level), '--correction', 'none'], { encoding: 'utf8' }));
      const c = out.metrics[0].comparisons[0];
      const r = m.comparisons[0];
      expect(out.metrics[0].kind).toBe('quantile');
      expect(c.variant).toBe(r.variant);
      for (const k of ['absolute', 'relative'] as const) {
        expect(c[k].lift, `${m.name} ${k}`).toBeCloseTo(r[k].lift, 12);
        expect(c[k].se).toBeCloseTo(r[k].se, 12);
        expect(c[k].pValue).toBeCloseTo(r[k].pValue, 12);
        expect(c[k].ci[0]).toBeCloseTo(r[k].ci[0]!, 12);
        expect(c[k].ci[1]).toBeCloseTo(r[k].ci[1]!, 12);
      }
    }
  });

  it('decides on a quantile primary metric and checks a quantile guardrail', () => {
    const { results } = runs.get(warehouse)!.get('checkout_quantile_primary')!;
    const primary = results.metrics.find((m) => m.role === 'primary')!;
    expect(primary.name).toBe('revenue_p90');
    expect(primary.method.test).toBe('quantile-order-statistics');
    expect(primary.method.cuped).toBeNull();
    expect(primary.dimensions).toEqual([]);
    const c = primary.comparisons[0];
    // 12% -> 16% buyers moves the 90th percentile of revenue per user from a low to a middling order amount.
    expect(c.relative.ok).toBe(true);
    expect(c.relative.pValue).toBeLessThan(0.05);
    expect(c.relative.lift).toBeGreaterThan(0.02);
    // The README's worked example ("Quantile metrics") quotes these.
    expect(c.relative.lift).toBeCloseTo(0.504, 3);
    expect(primary.quantile!.arms.map((a) => a.estimate)).toEqual([27.59, 41.49]);
    expect(results.decision.recommendation).toBe('ship');
    expect(results.decision.variant).toBe('one_page');
    expect(results.decision.reasons.map((r) => r.message).join(' ')).toContain('revenue_p90');
    const guardrail = results.metrics.find((m) => m.name === 'order_value_p50')!;
    expect(guardrail.role).toBe('guardrail');
    expect(guardrail.comparisons[0].relative.ok).toBe(true);
    expect(results.timeline).toBeNull();
    const report = readFileSync(join(runs.get(warehouse)!.get('checkout_quantile_primary')!.dir, 'report.md'), 'utf8');
    expect(report).toContain('### Quantile metrics');
    expect(report).toContain('| Revenue per user, p90 (7 days) | p90 | `control` |');
  });
});

describe('quantile metrics across warehouses', () => {
  it('DuckDB and Postgres return the same order statistics and the same statistics (1e-9)', () => {
    for (const id of SPECS) {
      const a = runs.get('duckdb')!.get(id)!.results;
      const b = runs.get('postgres')!.get(id)!.results;
      expect(compareResults(a, b, 1e-9).disagreements, id).toEqual([]);
      expect(compareResults({ data: { quantiles: a.data.quantiles } }, { data: { quantiles: b.data.quantiles } }, 0).disagreements).toEqual([]);
    }
  });
});
