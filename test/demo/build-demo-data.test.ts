import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoData, DEMO_AS_OF, DEMO_START, DEMO_TRUTH } from '../../src/demo/build-demo-data.js';
import { sampleRatioMismatch } from '../../src/stats/index.js';
import { armRatesSql, fingerprint, openDemoDb, type DemoDb } from './demo-db.js';

const TABLES = ['exposures', 'web_events', 'app_events'] as const;
const AS_OF = `TIMESTAMP '${DEMO_AS_OF.replace('T', ' ').replace('Z', '')}'`;
const APP_STOP = `TIMESTAMP '${DEMO_TRUTH.appEventsStoppedAt.replace('T', ' ').replace('Z', '')}'`;

const dir = mkdtempSync(join(tmpdir(), 'exptrack-demo-'));
const mainPath = join(dir, 'nested', 'demo.duckdb');
let counts: Record<string, number>;
let buildSeconds: number;
let db: DemoDb;

beforeAll(async () => {
  const t0 = performance.now();
  counts = await buildDemoData(mainPath);
  buildSeconds = (performance.now() - t0) / 1000;
  console.log(`demo build at scale 1: ${buildSeconds.toFixed(2)} s`, counts);
  db = await openDemoDb(mainPath);
});

afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('buildDemoData: files and determinism', () => {
  it('creates the parent directory, returns the row counts and leaves no .tmp file', async () => {
    expect(Object.keys(counts).sort()).toEqual([...TABLES].sort());
    for (const table of TABLES) {
      expect(counts[table]).toBeGreaterThan(0);
      expect(await db.num(`SELECT count(*) AS v FROM main.${table}`)).toBe(counts[table]);
    }
    expect(readdirSync(join(dir, 'nested')).filter((f) => f.includes('.tmp'))).toEqual([]);
    expect(existsSync(`${mainPath}.tmp`)).toBe(false);
  });

  it('gives identical content for the same seed and different content for another seed', async () => {
    const same = join(dir, 'same.duckdb');
    const other = join(dir, 'other.duckdb');
    await buildDemoData(same, { seed: 20261101 });
    await buildDemoData(other, { seed: 7 });
    const [a, b, c] = await Promise.all([mainPath, same, other].map((p) => fingerprint(p, TABLES)));
    expect(b).toEqual(a);
    for (const table of TABLES) expect(c[table]).not.toBe(a[table]);
    // Two full builds (eight experiments): 15 s alone, over a minute on the shared two-core machine.
  }, 180_000);

  it('replaces an existing file and a leftover .tmp, and scales unit counts', async () => {
    const path = join(dir, 'small.duckdb');
    writeFileSync(path, 'not a database');
    writeFileSync(`${path}.tmp`, 'crashed build');
    const small = await buildDemoData(path, { scale: 0.05 });
    expect(small.exposures).toBeLessThan(counts.exposures / 10);
    expect(existsSync(`${path}.tmp`)).toBe(false);
    const sdb = await openDemoDb(path);
    try {
      expect(await sdb.num(`SELECT count(DISTINCT user_id) AS v FROM main.exposures WHERE experiment_key = 'homepage_aa'`)).toBe(500);
    } finally {
      sdb.close();
    }
  });

  it('rejects invalid options before touching any file', async () => {
    const path = join(dir, 'invalid.duckdb');
    await expect(buildDemoData(path, { scale: 0 })).rejects.toThrow(/scale/);
    await expect(buildDemoData(path, { seed: 1.5 })).rejects.toThrow(/seed/);
    expect(existsSync(path) || existsSync(`${path}.tmp`)).toBe(false);
  });
});

describe('buildDemoData: time bounds', () => {
  it('has no row at or after as-of, in event or load time', async () => {
    const late = await db.num(`SELECT
      (SELECT count(*) FROM main.exposures WHERE exposed_at >= ${AS_OF} OR loaded_at >= ${AS_OF}) +
      (SELECT count(*) FROM main.web_events WHERE event_at >= ${AS_OF} OR loaded_at >= ${AS_OF}) +
      (SELECT count(*) FROM main.app_events WHERE event_at >= ${AS_OF} OR loaded_at >= ${AS_OF}) AS v`);
    expect(late).toBe(0);
  });

  it('stops app_events two days before as-of, while exposures and web events stay fresh', async () => {
    expect(await db.num(`SELECT count(*) AS v FROM main.app_events WHERE event_at >= ${APP_STOP} OR loaded_at >= ${APP_STOP}`)).toBe(0);
    const [row] = await db.all(`SELECT
      (SELECT max(event_at) FROM main.app_events) AS app,
      (SELECT max(event_at) FROM main.web_events) AS web,
      (SELECT max(exposed_at) FROM main.exposures WHERE experiment_key = 'mobile_onboarding') AS mobile_exp,
      (SELECT max(exposed_at) FROM main.exposures) AS exp`);
    const hoursBefore = (v: unknown) => (Date.parse(DEMO_AS_OF) - (v as Date).getTime()) / 3_600_000;
    expect((row.app as Date).getTime()).toBeLessThan(Date.parse('2026-10-30T00:00:00Z'));
    expect(hoursBefore(row.app)).toBeLessThan(72);
    for (const fresh of [row.web, row.mobile_exp, row.exp]) expect(hoursBefore(fresh)).toBeLessThan(6);
  });

  it('places first exposures in [start, as-of - 8 days) and keeps load delays in range', async () => {
    const [row] = await db.all(`WITH f AS (SELECT user_id, min(exposed_at) AS first_at FROM main.exposures GROUP BY 1)
      SELECT min(first_at) AS lo, max(first_at) AS hi,
        (SELECT min(date_diff('minute', exposed_at, loaded_at)) FROM main.exposures) AS exp_min,
        (SELECT max(date_diff('minute', exposed_at, loaded_at)) FROM main.exposures) AS exp_max,
        (SELECT min(date_diff('minute', event_at, loaded_at)) FROM main.web_events) AS web_min,
        (SELECT max(date_diff('minute', event_at, loaded_at)) FROM main.web_events) AS web_max
      FROM f`);
    expect((row.lo as Date).getTime()).toBeGreaterThanOrEqual(Date.parse(DEMO_START));
    expect((row.hi as Date).getTime()).toBeLessThan(Date.parse(DEMO_TRUTH.firstExposureEnd));
    expect([Number(row.exp_min), Number(row.exp_max)]).toEqual([5, 90]);
    expect([Number(row.web_min), Number(row.web_max)]).toEqual([10, 180]);
  });
});

describe('buildDemoData: planted truth', () => {
  for (const [key, e] of Object.entries(DEMO_TRUTH.experiments)) {
    it(`${key}: observed ${e.metric} rate per arm matches the planted rate`, async () => {
      const rows = await db.all(armRatesSql(key, e.source, e.metric, e.windowDays));
      expect(rows.map((r) => r.variant).sort()).toEqual([...e.variants].sort());
      for (const r of rows) {
        const planted = e.rates[r.variant as string];
        const n = Number(r.units);
        // 4.5 standard errors: a sampling wobble passes, a generator bug (wrong window, wrong arm) does not.
        const tolerance = 4.5 * Math.sqrt((planted * (1 - planted)) / n);
        expect(Math.abs(Number(r.rate) - planted), `${key}/${r.variant}: ${r.rate} vs ${planted}`).toBeLessThan(tolerance);
      }
    });
  }

  it('pricing_banner loses ~10% of banner exposures: a clear sample ratio mismatch', async () => {
    const rows = await db.all(`SELECT variant, count(DISTINCT user_id) AS n FROM main.exposures
      WHERE experiment_key = 'pricing_banner' GROUP BY 1`);
    const n = Object.fromEntries(rows.map((r) => [r.variant, Number(r.n)]));
    expect(n.banner / n.control).toBeGreaterThan(0.86);
    expect(n.banner / n.control).toBeLessThan(0.94);
    expect(sampleRatioMismatch([n.control, n.banner], [0.5, 0.5]).pValue).toBeLessThan(1e-4);
  });

  it('only checkout_redesign has multiple-variant users, between 0.1% and 1%', async () => {
    const rows = await db.all(`WITH u AS (SELECT experiment_key, user_id, count(DISTINCT variant) AS nv
        FROM main.exposures GROUP BY ALL)
      SELECT experiment_key, avg(CASE WHEN nv > 1 THEN 1 ELSE 0 END) AS share FROM u GROUP BY 1`);
    for (const r of rows) {
      if (r.experiment_key === 'checkout_redesign') {
        expect(Number(r.share)).toBeGreaterThan(0.001);
        expect(Number(r.share)).toBeLessThan(0.01);
      } else expect(Number(r.share)).toBe(0);
    }
  });

  it('keeps per-user attributes stable, 1-3 same-variant rows per user and ~1% employees', async () => {
    const [row] = await db.all(`WITH u AS (
        SELECT experiment_key, user_id, count(DISTINCT country) AS c, count(DISTINCT platform) AS p,
          count(DISTINCT is_employee) AS e, count(DISTINCT variant) AS nv, count(*) AS rows, bool_or(is_employee) AS emp
        FROM main.exposures GROUP BY ALL)
      SELECT max(c) AS c, max(p) AS p, max(e) AS e, min(rows) AS min_rows,
        max(CASE WHEN nv = 1 THEN rows END) AS max_rows, avg(CASE WHEN emp THEN 1 ELSE 0 END) AS emp_share,
        count(DISTINCT user_id) AS users FROM u`);
    expect([row.c, row.p, row.e].map(Number)).toEqual([1, 1, 1]);
    expect([Number(row.min_rows), Number(row.max_rows)]).toEqual([1, 3]);
    expect(Number(row.emp_share)).toBeGreaterThan(0.005);
    expect(Number(row.emp_share)).toBeLessThan(0.015);
    const mobile = await db.all(`SELECT DISTINCT platform FROM main.exposures WHERE experiment_key = 'mobile_onboarding' ORDER BY 1`);
    expect(mobile.map((r) => r.platform)).toEqual(['android', 'ios']);
  });

  it('checkout errors per user are about equal in both checkout_redesign arms', async () => {
    const rows = await db.all(`WITH u AS (SELECT user_id, min(variant) AS variant, min(exposed_at) AS first_at
        FROM main.exposures WHERE experiment_key = 'checkout_redesign' GROUP BY 1)
      , errors AS (SELECT u.user_id, count(*) AS n FROM u JOIN main.web_events AS w ON w.user_id = u.user_id
        WHERE w.event_name = 'checkout_error' AND w.event_at >= u.first_at GROUP BY 1)
      SELECT u.variant, avg(coalesce(e.n, 0)) AS per_user FROM u LEFT JOIN errors AS e ON e.user_id = u.user_id
      GROUP BY u.variant`);
    for (const r of rows) {
      expect(Number(r.per_user)).toBeGreaterThan(0.03);
      expect(Number(r.per_user)).toBeLessThan(0.07);
    }
  });

  it('has window-testing noise: pre-exposure views/errors/orders and late orders, sane amounts', async () => {
    const [row] = await db.all(`WITH f AS (SELECT user_id, min(exposed_at) AS first_at FROM main.exposures GROUP BY 1)
      SELECT
        count(*) FILTER (WHERE w.event_at < f.first_at AND w.event_name = 'page_view') AS pre_views,
        count(*) FILTER (WHERE w.event_at < f.first_at AND w.event_name = 'checkout_error') AS pre_errors,
        count(*) FILTER (WHERE w.event_at < f.first_at AND w.event_name = 'order_completed') AS pre_orders,
        count(*) FILTER (WHERE w.event_at >= f.first_at + INTERVAL 7 DAY AND w.event_name = 'order_completed') AS late_orders,
        min(amount) FILTER (WHERE w.event_name = 'order_completed') AS min_amount,
        avg(amount) FILTER (WHERE w.event_name = 'order_completed') AS mean_amount,
        count(amount) FILTER (WHERE w.event_name <> 'order_completed') AS other_amounts
      FROM main.web_events AS w JOIN f ON f.user_id = w.user_id`);
    for (const k of ['pre_views', 'pre_errors', 'pre_orders', 'late_orders']) expect(Number(row[k]), k).toBeGreaterThan(0);
    expect(Number(row.min_amount)).toBeGreaterThan(0);
    expect(Math.abs(Number(row.mean_amount) - DEMO_TRUTH.revenuePerOrder.mean)).toBeLessThan(5);
    expect(Number(row.other_amounts)).toBe(0);
  });
});
