import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { getTarget, loadProjectConfig } from '../../src/config/project-config.js';
import type { Results } from '../../src/run/results.js';
import { runProject } from '../../src/run/run-project.js';
import { demoProject } from '../helpers/demo-project.js';

// The README's bandit example: the demo's checkout experiment (planted 12% -> 16%) with bandit advice on;
// and the same experiment declared as a one-factor design (the demo has two arms per experiment).
let results: Results;
let report: string;
let again: string;
let factorial: Results;
let factorialReport: string;
let rankDir: string;
let rankProject: string;
let holdout: Results;
let holdoutReport: string;

beforeAll(async () => {
  const project = await demoProject();
  const spec = readFileSync(join(project, 'specs', 'checkout_redesign.yaml'), 'utf8')
    .replace('id: checkout_redesign', 'id: checkout_bandit')
    .replace('alpha: 0.05', 'alpha: 0.05\nanalysis: { bandit: { min_share: 0.1 } }');
  writeFileSync(join(project, 'specs', 'checkout_bandit.yaml'), spec);
  const design = spec
    .replace('id: checkout_bandit', 'id: checkout_factorial')
    .replace('{ key: control, weight: 0.5 }', '{ key: control, weight: 0.5, factors: { layout: classic } }')
    .replace('{ key: one_page, weight: 0.5 }', '{ key: one_page, weight: 0.5, factors: { layout: one_page } }');
  writeFileSync(join(project, 'specs', 'checkout_factorial.yaml'), design);
  writeFileSync(join(project, 'specs', 'checkout_holdout.yaml'), spec.replace('id: checkout_bandit', 'id: checkout_holdout').replace('analysis: { bandit: { min_share: 0.1 } }', 'holdout: { features: [one-page checkout, "saved | cards"] }'));
  const config = loadProjectConfig(project);
  const run = async (id = 'checkout_bandit') => {
    const s = await runProject({ config, target: getTarget(config, undefined), selectors: [id], asOf: config.asOf! });
    return s.experiments[0].packageDir;
  };
  const h = await run('checkout_holdout');
  holdout = JSON.parse(readFileSync(join(h, 'results.json'), 'utf8'));
  holdoutReport = readFileSync(join(h, 'report.md'), 'utf8');
  const f = await run('checkout_factorial');
  factorial = JSON.parse(readFileSync(join(f, 'results.json'), 'utf8'));
  factorialReport = readFileSync(join(f, 'report.md'), 'utf8');
  const dir = await run();
  rankProject = project;
  // The README's Mann-Whitney example: revenue per user (log-normal order amounts) tested by ranks.
  writeFileSync(join(project, 'specs', 'checkout_rank.yaml'), spec.replace('id: checkout_bandit', 'id: checkout_rank').replace('bandit: { min_share: 0.1 }', 'mann_whitney: [revenue_per_user]'));
  rankDir = await run('checkout_rank');
  results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
  report = readFileSync(join(dir, 'report.md'), 'utf8');
  again = JSON.stringify(JSON.parse(readFileSync(join(await run(), 'results.json'), 'utf8')).bandit);
});

describe('bandit allocation advice on the demo warehouse', () => {
  it('advises most traffic for the planted winner, keeping the minimum share for control', () => {
    const b = results.bandit!;
    const arm = (v: string) => b.arms.find((a) => a.variant === v)!;
    expect(arm('one_page').probabilityBest).toBeGreaterThan(0.99);
    expect(arm('control').advisedWeight).toBeCloseTo(0.1, 12);
    expect(arm('one_page').advisedWeight).toBeCloseTo(0.9, 12);
    expect(arm('control').plannedWeight).toBe(0.5);
  });

  it('reports the advice with its assumptions, and the same numbers at every run', () => {
    expect(report).toContain('### Bandit allocation advice');
    expect(report).toContain('exptrack never changes traffic');
    expect(again).toBe(JSON.stringify(results.bandit));
  });
});

describe('factorial design through the pipeline', () => {
  it('reports the main effect: with one factor, the unadjusted difference of the two arms (no CUPED in factorial effects)', () => {
    const m = factorial.factorial!.metrics.find((x) => x.name === 'order_completed')!;
    const main = m.effects.find((e) => e.kind === 'main')!;
    expect(main.terms).toEqual([{ factor: 'layout', level: 'one_page' }]);
    const arms = factorial.metrics.find((x) => x.name === 'order_completed')!.arms;
    const [c, t] = ['control', 'one_page'].map((v) => arms.find((a) => a.variant === v)!);
    expect(main.effect.lift).toBeCloseTo(t.mean - c.mean, 12);
    expect(main.effect.se).toBeCloseTo(Math.sqrt(t.variance / t.n + c.variance / c.n), 12);
    expect(factorialReport).toContain('### Factorial design');
    expect(factorialReport).toContain('main: layout = one_page');
  });
});

describe('holdout spec', () => {
  it('says what the holdout measures, with the held-back share, the features and the windows', () => {
    expect(holdout.holdout).toMatchObject({ heldBack: 'control', share: 0.5, features: ['one-page checkout', 'saved | cards'], longestWindowDays: null });
    expect(holdout.bandit).toBeUndefined();
    expect(holdoutReport).toContain('### Holdout');
    expect(holdoutReport).toContain('combined, long-run effect of these features together');
    // Spec text reaches Markdown escaped.
    expect(holdoutReport).toContain('saved \\| cards');
  });
});

describe('Mann-Whitney on the demo warehouse (checkout_redesign data, revenue_per_user)', () => {
  it('matches U computed here from the per-unit values, pair by pair', async () => {
    const r: Results = JSON.parse(readFileSync(join(rankDir, 'results.json'), 'utf8'));
    const mw = r.metrics.find((m) => m.name === 'revenue_per_user')!.mannWhitney!;
    expect(mw.map((x) => x.variant)).toEqual(['one_page']);
    // The per-unit values from the same compiled CTEs, ranked here instead of in the warehouse.
    const sql = readFileSync(join(rankDir, 'sql', '08_ranks.sql'), 'utf8');
    const perUnit = `${sql.slice(0, sql.indexOf('rank_input AS ('))}last AS (SELECT 1 AS x)\nSELECT variant, CAST("m_2_y" AS DOUBLE) AS v FROM analysed_values WHERE variant IN ('control', 'one_page')`;
    const db = await DuckDBInstance.create(join(rankProject, 'target', 'demo.duckdb'), { access_mode: 'READ_ONLY' });
    const con = await db.connect();
    try {
      const rows = (await con.runAndReadAll(perUnit)).getRowObjectsJson() as { variant: string; v: number }[];
      const c = rows.filter((x) => x.variant === 'control').map((x) => Number(x.v)).sort((a, b) => a - b);
      const t = rows.filter((x) => x.variant === 'one_page').map((x) => Number(x.v));
      // U = sum over treatment units of (#control below + half the #control equal), by binary search.
      const below = (x: number, strict: boolean) => {
        let lo = 0;
        let hi = c.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (strict ? c[mid] < x : c[mid] <= x) lo = mid + 1;
          else hi = mid;
        }
        return lo;
      };
      const u = t.reduce((a, x) => a + below(x, true) + (below(x, false) - below(x, true)) / 2, 0);
      expect(mw[0].nControl).toBe(c.length);
      expect(mw[0].nTreatment).toBe(t.length);
      expect(mw[0].u).toBeCloseTo(u, 6);
      // The Hodges-Lehmann bounds contain the exact median of the n_c n_t differences t - c: fewer than
      // r1 differences lie below the lower bound and at least r2 at or below the upper bound.
      const hl = mw[0].hodgesLehmann!;
      const pairs = c.length * t.length;
      const [r1, r2] = [Math.floor((pairs + 1) / 2), Math.floor(pairs / 2) + 1];
      const countBelow = (bound: number, strict: boolean) => t.reduce((a, x) => a + (c.length - below(x - bound, !strict)), 0);
      expect(countBelow(hl.lower, true)).toBeLessThan(r1);
      expect(countBelow(hl.upper, false)).toBeGreaterThanOrEqual(r2);
      expect(hl.lower).toBeLessThanOrEqual(hl.upper);
      // The planted conversion lift shifts revenue per user up.
      expect(mw[0].probabilityOfSuperiority).toBeGreaterThan(0.5);
      expect(mw[0].pValue).toBeLessThan(0.05);
    } finally {
      con.closeSync();
      db.closeSync();
    }
  });
});
