import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { getTarget, loadProjectConfig } from '../../src/config/project-config.js';
import type { Results } from '../../src/run/results.js';
import { runProject } from '../../src/run/run-project.js';

// The metrics SQL checked against an independent computation: a seeded fixture is written to DuckDB,
// the pipeline runs on it, and every sufficient statistic is recomputed here in plain JS from the
// same raw rows (windows, pre-exposure lookback, percentile caps, ratio cross-products, pairs, top-N).

const START = Date.parse('2026-10-04T00:00:00Z');
const AS_OF = '2026-10-20T00:00:00Z';
const DAY = 86_400_000;
const COUNTRIES = ['A', 'A', 'A', 'A', 'B', 'B', 'B', 'C', 'C', 'D', 'E'];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface User { id: string; variant: string; exposedAt: number; country: string }
interface Event { user: string; name: string; amount: number | null; newMs: number | null; oldMs: number | null; at: number }

function fixture() {
  const r = rng(7);
  const users: User[] = [];
  const events: Event[] = [];
  for (let i = 0; i < 400; i++) {
    const u = { id: `u${i}`, variant: r() < 0.5 ? 'control' : 'treatment', exposedAt: START + Math.floor(r() * 5 * DAY / 1000) * 1000, country: COUNTRIES[Math.floor(r() * COUNTRIES.length)] };
    users.push(u);
    const habit = r();
    // Events from 12 days before exposure to 12 days after; amounts in cents so decimal sums are exact.
    const n = Math.floor(r() * 8);
    for (let k = 0; k < n; k++) {
      const at = u.exposedAt + Math.floor((r() * 24 - 12) * DAY / 1000) * 1000;
      if (at >= Date.parse(AS_OF) || at < START - 14 * DAY) continue;
      const buy = r() < 0.2 + habit * 0.3 + (u.variant === 'treatment' ? 0.05 : 0);
      events.push({ user: u.id, name: buy ? 'buy' : 'view', amount: buy ? Math.round(r() ** 3 * 50000) / 100 : null, newMs: null, oldMs: null, at });
    }
    if (r() < 0.7) {
      const at = u.exposedAt + Math.floor(r() * 3 * DAY / 1000) * 1000;
      events.push({ user: u.id, name: 'req', amount: null, newMs: Math.round(r() * 200), oldMs: Math.round(r() * 220), at });
    }
  }
  return { users, events };
}

const MODELS = `sources:
  exposures:
    table: main.exposures
    units: { user: user_id }
    timestamp: exposed_at
    experiment_key: experiment_key
    variant: variant
    columns: { country: string }
    dimensions: [country]
  events:
    table: main.events
    units: { user: user_id }
    timestamp: event_at
    columns: { event_name: string, amount: number, new_ms: number, old_ms: number }
metrics:
  bought:
    type: proportion
    source: events
    filter: "event_name = 'buy'"
    window: { duration: 7d }
  revenue:
    type: mean
    source: events
    value: amount
    filter: "event_name = 'buy'"
    window: { duration: 7d }
    capping: { percentile: 0.9 }
  buys:
    type: count
    source: events
    filter: "event_name = 'buy'"
    window: { duration: 7d }
  order_value:
    type: ratio
    numerator: revenue
    denominator: buys
  latency:
    type: paired
    source: events
    value: new_ms
    baseline: old_ms
    filter: "event_name = 'req'"
    higher_is_better: false
`;

const SPEC = `id: fx
name: Fixture
owner: t@example.com
hypothesis: h
unit: user
exposure: { source: exposures, experiment_key: fx }
variants:
  - { key: control, weight: 0.5 }
  - { key: treatment, weight: 0.5 }
start: 2026-10-04
metrics:
  primary: bought
  secondary: [revenue, buys, order_value, latency]
dimensions: [country]
analysis: { cuped: { lookback: 14d }, dimension_values: 2, correction: benjamini_hochberg }
`;

const iso = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

let results: Results;
let data: ReturnType<typeof fixture>;

beforeAll(async () => {
  data = fixture();
  const dir = mkdtempSync(join(tmpdir(), 'exptrack-metric-sql-'));
  mkdirSync(join(dir, 'models'));
  mkdirSync(join(dir, 'specs'));
  writeFileSync(join(dir, 'exptrack.yaml'), `name: fx\ndefault_target: local\nas_of: "${AS_OF}"\ntargets:\n  local: { type: duckdb, path: fx.duckdb }\n`);
  writeFileSync(join(dir, 'models', 'models.yaml'), MODELS);
  writeFileSync(join(dir, 'specs', 'fx.yaml'), SPEC);
  const db = await DuckDBInstance.create(join(dir, 'fx.duckdb'));
  const c = await db.connect();
  await c.run('CREATE TABLE exposures (user_id VARCHAR, experiment_key VARCHAR, variant VARCHAR, exposed_at TIMESTAMP, country VARCHAR)');
  await c.run('CREATE TABLE events (user_id VARCHAR, event_name VARCHAR, amount DOUBLE, new_ms DOUBLE, old_ms DOUBLE, event_at TIMESTAMP)');
  const q = (v: unknown) => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v}'`);
  await c.run(`INSERT INTO exposures VALUES ${data.users.map((u) => `(${q(u.id)}, 'fx', ${q(u.variant)}, '${iso(u.exposedAt)}', ${q(u.country)})`).join(',')}`);
  await c.run(`INSERT INTO events VALUES ${data.events.map((e) => `(${q(e.user)}, ${q(e.name)}, ${q(e.amount)}, ${q(e.newMs)}, ${q(e.oldMs)}, '${iso(e.at)}')`).join(',')}`);
  c.closeSync();
  db.closeSync();
  const config = loadProjectConfig(dir);
  const summary = await runProject({ config, target: getTarget(config, undefined), selectors: [], asOf: AS_OF });
  results = JSON.parse(readFileSync(join(summary.experiments[0].packageDir, 'results.json'), 'utf8'));
});

/** DuckDB's quantile_cont: linear interpolation between order statistics. */
function quantileCont(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  return s[lo] + (h - lo) * ((s[Math.min(lo + 1, s.length - 1)] ?? s[lo]) - s[lo]);
}

/** Per-unit values computed from the raw rows, exactly as the spec defines them. */
function perUnit() {
  const byUser = new Map<string, Event[]>();
  for (const e of data.events) byUser.set(e.user, [...(byUser.get(e.user) ?? []), e]);
  return data.users.map((u) => {
    const evs = byUser.get(u.id) ?? [];
    const post = evs.filter((e) => e.at >= u.exposedAt && e.at < u.exposedAt + 7 * DAY && e.at < Date.parse(AS_OF));
    const pre = evs.filter((e) => e.at >= u.exposedAt - 14 * DAY && e.at < u.exposedAt);
    const buys = (xs: Event[]) => xs.filter((e) => e.name === 'buy');
    const reqs = evs.filter((e) => e.name === 'req' && e.at >= u.exposedAt);
    return {
      ...u,
      bought: { y: buys(post).length > 0 ? 1 : 0, x: buys(pre).length > 0 ? 1 : 0 },
      revenue: { y: buys(post).reduce((a, e) => a + e.amount!, 0), x: buys(pre).reduce((a, e) => a + e.amount!, 0) },
      buys: { y: buys(post).length, x: buys(pre).length },
      latency: reqs.length ? reqs.reduce((a, e) => a + e.newMs! - e.oldMs!, 0) : null,
    };
  });
}

const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));

describe('metrics SQL against an independent computation on the raw rows', () => {
  it('returns per-arm sums, squares and CUPED cross-products of proportion and count metrics', () => {
    const units = perUnit();
    for (const name of ['bought', 'buys'] as const) {
      const m = results.metrics.find((x) => x.name === name)!;
      for (const arm of m.arms) {
        const us = units.filter((u) => u.variant === arm.variant);
        expect(arm.n).toBe(us.length);
        close(arm.stats.y.sum, us.reduce((a, u) => a + u[name].y, 0));
        close(arm.stats.y.sumSquares, us.reduce((a, u) => a + u[name].y ** 2, 0));
        close(arm.stats.x!.sum, us.reduce((a, u) => a + u[name].x, 0));
        close(arm.stats.cross!.yx!, us.reduce((a, u) => a + u[name].y * u[name].x, 0));
      }
      expect(m.comparisons[0].cuped).not.toBeNull();
    }
  });

  it('caps revenue at the pooled 90th percentile of all analysed units, post and pre separately', () => {
    const units = perUnit();
    const m = results.metrics.find((x) => x.name === 'revenue')!;
    const capY = quantileCont(units.map((u) => u.revenue.y), 0.9);
    const capX = quantileCont(units.map((u) => u.revenue.x), 0.9);
    close(m.caps.y!, Math.round(capY * 1e6) / 1e6);
    close(m.caps.x!, Math.round(capX * 1e6) / 1e6);
    expect(units.some((u) => u.revenue.y > capY)).toBe(true);
    for (const arm of m.arms) {
      const us = units.filter((u) => u.variant === arm.variant);
      const y = us.map((u) => Math.min(u.revenue.y, m.caps.y!));
      const x = us.map((u) => Math.min(u.revenue.x, m.caps.x!));
      close(arm.stats.y.sum, y.reduce((a, v) => a + v, 0));
      close(arm.stats.y.sumSquares, y.reduce((a, v) => a + v * v, 0));
      close(arm.stats.cross!.yx!, y.reduce((a, v, i) => a + v * x[i], 0));
    }
  });

  it('sums a ratio metric’s numerator, denominator and all six cross-products', () => {
    const units = perUnit();
    const m = results.metrics.find((x) => x.name === 'order_value')!;
    for (const arm of m.arms) {
      const us = units.filter((u) => u.variant === arm.variant);
      const q = {
        y: us.map((u) => Math.min(u.revenue.y, m.caps.y!)),
        d: us.map((u) => u.buys.y),
        x: us.map((u) => Math.min(u.revenue.x, m.caps.x!)),
        e: us.map((u) => u.buys.x),
      };
      close(arm.stats.d!.sum, q.d.reduce((a, v) => a + v, 0));
      close(arm.stats.e!.sumSquares, q.e.reduce((a, v) => a + v * v, 0));
      for (const pair of ['yd', 'yx', 'ye', 'dx', 'de', 'xe'] as const) {
        const [a, b] = [q[pair[0] as 'y'], q[pair[1] as 'd']];
        close(arm.stats.cross![pair]!, a.reduce((s, v, i) => s + v * b[i], 0));
      }
      close(arm.mean, q.y.reduce((a, v) => a + v, 0) / q.d.reduce((a, v) => a + v, 0));
    }
  });

  it('tests a paired metric on per-unit differences, counting only units that have pairs', () => {
    const units = perUnit();
    const m = results.metrics.find((x) => x.name === 'latency')!;
    // Between arms: Welch on the per-unit differences (issue #12: the report and decision need it).
    const mean = (v: string) => m.arms.find((a) => a.variant === v)!.mean;
    expect(m.comparisons.map((c) => c.variant)).toEqual(['treatment']);
    close(m.comparisons[0].absolute.lift, mean('treatment') - mean('control'));
    for (const arm of m.arms) {
      const diffs = units.filter((u) => u.variant === arm.variant && u.latency !== null).map((u) => u.latency!);
      expect(arm.n).toBe(diffs.length);
      expect(arm.n).toBeLessThan(units.filter((u) => u.variant === arm.variant).length);
      close(arm.stats.y.sum, diffs.reduce((a, v) => a + v, 0));
      const p = m.paired!.find((x) => x.variant === arm.variant)!;
      close(p.difference.lift, diffs.reduce((a, v) => a + v, 0) / diffs.length);
    }
  });

  it('keeps the top 2 dimension values by units and groups the rest as (other), with BH-adjusted p-values', () => {
    const units = perUnit();
    const m = results.metrics.find((x) => x.name === 'bought')!;
    const counts = new Map<string, number>();
    for (const u of units) counts.set(u.country, (counts.get(u.country) ?? 0) + 1);
    const top = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 2).map(([k]) => k);
    expect(m.dimensions.map((d) => d.value).sort()).toEqual([...top, '(other)'].sort());
    const other = m.dimensions.find((d) => d.value === '(other)')!;
    expect(other.arms.reduce((a, x) => a + x.n, 0)).toBe(units.filter((u) => !top.includes(u.country)).length);
    for (const d of m.dimensions) expect(d.comparisons[0].relative.pValueAdjusted).toBeGreaterThanOrEqual(d.comparisons[0].relative.pValue);
  });

  it('adjusts the non-primary metrics as one family and leaves the primary alone', () => {
    const primary = results.metrics.find((x) => x.role === 'primary')!;
    expect(primary.comparisons[0].relative.pValueAdjusted).toBeUndefined();
    const family = results.metrics.filter((x) => x.role !== 'primary' && x.comparisons.length);
    // Three secondary metrics and the paired one, whose comparison between arms is in the family too.
    expect(family.length).toBe(4);
    for (const m of family) expect(m.comparisons[0].relative.pValueAdjusted).toBeGreaterThanOrEqual(m.comparisons[0].relative.pValue);
  });
});
