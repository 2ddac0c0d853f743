import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { BENCH_AS_OF, EVENTS_PER_UNIT, SHARES } from '../../bench/bench-data-sql.js';
import { ensureBenchData, type BenchDataInfo } from '../../bench/bench-data.js';
import { CUPED_LOOKBACK_DAYS, cupedAnalysis, supportedMetrics } from '../../bench/bench-metrics.js';
import { BENCH_SPEC_ID, writeBenchProject } from '../../bench/bench-project.js';
import { lowerBoundSql } from '../../bench/lower-bound-sql.js';
import { getTarget, loadProjectConfig } from '../../src/config/project-config.js';
import type { Results } from '../../src/run/results.js';
import { runProject } from '../../src/run/run-project.js';

// The benchmark's generator at a tiny scale: shape of the data, determinism, and that the hand-written
// lower bound computes the same numbers as the pipeline it is compared with. No timings.
const SCALE = 0.004;
let dir: string;
let info: BenchDataInfo;

async function query(path: string, sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  try {
    const c = await instance.connect();
    await c.run("SET TimeZone = 'UTC'");
    const rows = (await c.runAndReadAll(sql)).getRowObjectsJS();
    c.closeSync();
    return rows;
  } finally {
    instance.closeSync();
  }
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.abs(b) + 1e-6;
const settings = () => ({ threads: 1, memoryLimit: '1GB', tempDirectory: join(dir, 'tmp') });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'exptrack-bench-'));
  info = await ensureBenchData(join(dir, 'bench.duckdb'), SCALE, 7, settings());
});

describe('bench data generator', () => {
  it('makes the planned number of units and about ten events per unit', () => {
    expect(info.units).toBe(4000);
    expect(info.rows.events / info.units).toBeGreaterThan(EVENTS_PER_UNIT * 0.9);
    expect(info.rows.events / info.units).toBeLessThan(EVENTS_PER_UNIT * 1.1);
  });

  it('exposes a few percent of units to both variants', async () => {
    const [r] = await query(info.path, `
      SELECT avg(CASE WHEN n > 1 THEN 1 ELSE 0 END) AS share, count(*) AS units
      FROM (SELECT user_id, count(DISTINCT variant) AS n FROM main.exposures WHERE experiment_key = 'bench_exp' GROUP BY user_id)`);
    expect(Number(r.units)).toBe(info.units);
    expect(Number(r.share)).toBeGreaterThan(SHARES.doubleExposure / 2);
    expect(Number(r.share)).toBeLessThan(SHARES.doubleExposure * 2);
  });

  it('has pre-exposure events that predict post-exposure events per unit (for CUPED)', async () => {
    const [r] = await query(info.path, `
      WITH x AS (SELECT user_id, min(exposed_at) AS t FROM main.exposures WHERE experiment_key = 'bench_exp' GROUP BY user_id)
      SELECT corr(pre, post) AS r FROM (
        SELECT x.user_id, count(*) FILTER (WHERE e.event_at < x.t) AS pre, count(*) FILTER (WHERE e.event_at >= x.t) AS post
        FROM x JOIN main.events e USING (user_id) GROUP BY x.user_id)`);
    expect(Number(r.r)).toBeGreaterThan(0.3);
  });

  it('is reused when scale and seed match, and rebuilt identically from the same seed', async () => {
    const again = await ensureBenchData(info.path, SCALE, 7, settings());
    expect(again.reused).toBe(true);
    const other = await ensureBenchData(join(dir, 'copy.duckdb'), SCALE, 7, settings());
    expect(other.reused).toBe(false);
    const digest = 'SELECT sum(hash(user_id, event_at, event_name, amount)::HUGEINT) AS d FROM main.events';
    expect((await query(other.path, digest))[0].d).toEqual((await query(info.path, digest))[0].d);
  });
});

describe('bench lower bound', () => {
  it('counts the same units and sums the same metric values as the pipeline', async () => {
    const projectDir = join(dir, 'project');
    const { metrics } = supportedMetrics();
    writeBenchProject(projectDir, info.path, settings(), metrics);
    const config = loadProjectConfig(projectDir);
    const summary = await runProject({ config, target: getTarget(config, undefined), selectors: [BENCH_SPEC_ID], asOf: BENCH_AS_OF, reportsDir: join(dir, 'reports') });
    const results = JSON.parse(readFileSync(join(summary.experiments[0].packageDir, 'results.json'), 'utf8')) as Results;
    const totals = (await query(info.path, lowerBoundSql(metrics, BENCH_AS_OF, cupedAnalysis() ? CUPED_LOOKBACK_DAYS : null))).filter((r) => Number(r.country_grouping) === 1 && Number(r.platform_grouping) === 1);
    for (const m of metrics) {
      const piped = results.metrics.find((x) => x.name === m.name)!;
      for (const arm of piped.arms) {
        const lb = totals.find((r) => r.variant === arm.variant)!;
        expect(Number(lb.units), `${m.name} ${arm.variant} units`).toBe(arm.n);
        // Capped values go through a double-precision quantile on both sides: equal to many digits, not bits.
        expect(close(Number(lb[`${m.name}_sum`]), arm.sum), `${m.name} ${arm.variant} sum ${lb[`${m.name}_sum`]} vs ${arm.sum}`).toBe(true);
        expect(close(Number(lb[`${m.name}_sum_squares`]), arm.sumSquares), `${m.name} ${arm.variant} sum of squares`).toBe(true);
      }
    }
    const multi = totals.find((r) => r.variant === null);
    expect(Number(multi?.units)).toBe(Number(results.data.exposures.find((e) => e.variant === null)?.units));
    expect(Number(multi?.units)).toBeGreaterThan(0);
  });
});
