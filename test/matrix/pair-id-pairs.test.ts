// Matched pairs keyed by a pair id (issue #12, item 1), on every warehouse that runs here: a shadow
// variant replayed on the same requests as live control. The source has one row per (request, arm);
// the pairs step joins each treatment row to control's row of the same request_id in the warehouse.
// The expected numbers are computed here from the generated rows, in integer thousandths (exact).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { getTarget, loadProjectConfig, type Target } from '../../src/config/project-config.js';
import type { Results } from '../../src/run/results.js';
import { runProject } from '../../src/run/run-project.js';
import { pairedTTest } from '../../src/stats/index.js';
import { demoProject } from '../helpers/demo-project.js';
import { freshDatabaseFrom } from '../helpers/load-demo-into-postgres.js';
import { addShadowFixture, PAIRS } from '../helpers/shadow-pairs-fixture.js';
import { postgresServer, postgresTarget } from '../helpers/postgres-database.js';

const WAREHOUSES = ['duckdb', 'postgres'] as const;
const DATABASE = 'exptrack_pair_id_pairs';

let project: string;
let expected: { n: number; sum: number; sumSquares: number };
const results = new Map<string, Results>();

beforeAll(async () => {
  project = await demoProject();
  expected = await addShadowFixture(project);

  const server = postgresServer();
  await freshDatabaseFrom(server, DATABASE, join(project, 'target', 'demo.duckdb'));
  const config = loadProjectConfig(project);
  const targets: Record<(typeof WAREHOUSES)[number], Target> = { duckdb: getTarget(config, undefined), postgres: postgresTarget(server, DATABASE) };
  for (const w of WAREHOUSES) {
    const summary = await runProject({ config, target: targets[w], selectors: ['shadow_latency', 'shadow_latency_daily'], asOf: config.asOf!, reportsDir: join(project, 'reports', w) });
    for (const s of summary.experiments) results.set(`${w}/${s.id}`, JSON.parse(readFileSync(join(s.packageDir, 'results.json'), 'utf8')));
  }
}, 240_000);

describe.each(WAREHOUSES)('pairs keyed by request_id on %s', (w) => {
  const paired = (id: string) => results.get(`${w}/${id}`)!.metrics[0].paired!;

  it('joins each shadow row to the live row of the same request, in the warehouse: n, sum and sum of squares of the differences', () => {
    const p = paired('shadow_latency');
    expect(p.map((x) => x.variant)).toEqual(['one_page']);
    expect(p[0].pairs).toBe(PAIRS);
    const want = pairedTTest({ n: expected.n, sumDiff: expected.sum, sumDiffSquares: expected.sumSquares }, { alpha: 0.05, sides: 'two-sided' });
    expect(p[0].difference.lift).toBeCloseTo(want.lift, 9);
    expect(p[0].difference.se).toBeCloseTo(want.se, 9);
    expect(p[0].difference.ci[0]!).toBeCloseTo(want.ci[0]!, 9);
    // The shadow is planted 4 ms slower: the interval excludes 0 and covers 4.
    expect(p[0].difference.ci[0]!).toBeGreaterThan(0);
    expect(p[0].difference.ci[0]!).toBeLessThan(4);
    expect(p[0].difference.ci[1]!).toBeGreaterThan(4);
  });

  it('decides on the paired difference (lower is better: the slower shadow is a loss) and flags the drift beyond max_drift', () => {
    const r = results.get(`${w}/shadow_latency`)!;
    expect(r.decision.recommendation).toBe('stop');
    expect(r.decision.reasons[0].code).toBe('PRIMARY_LOSS');
    const drift = r.checks.find((c) => c.reasonCode === 'EXPERIMENT_DRIFT')!;
    expect(drift.status).toBe('fail');
    expect(drift.severity).toBe('warn');
  });

  it('is always valid (wider) when the spec is scheduled', () => {
    const fixed = paired('shadow_latency')[0].difference;
    const seq = paired('shadow_latency_daily')[0].difference;
    expect(results.get(`${w}/shadow_latency_daily`)!.metrics[0].method.sequential).not.toBeNull();
    expect(seq.lift).toBeCloseTo(fixed.lift, 12);
    expect(seq.ci[1]! - seq.ci[0]!).toBeGreaterThan(fixed.ci[1]! - fixed.ci[0]!);
  });
});
