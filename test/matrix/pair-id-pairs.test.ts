// Matched pairs keyed by a pair id (issue #12, item 1), on every warehouse that runs here: a shadow
// variant replayed on the same requests as live control. The source has one row per (request, arm);
// the pairs step joins each treatment row to control's row of the same request_id in the warehouse.
// The expected numbers are computed here from the generated rows, in integer thousandths (exact).
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { getTarget, loadProjectConfig, type Target } from '../../src/config/project-config.js';
import type { Results } from '../../src/run/results.js';
import { runProject } from '../../src/run/run-project.js';
import { pairedTTest } from '../../src/stats/index.js';
import { demoProject } from '../helpers/demo-project.js';
import { loadDuckdbIntoPostgres } from '../helpers/load-demo-into-postgres.js';
import { adminClient, freshDatabase, postgresServer, postgresTarget } from '../helpers/postgres-database.js';

const WAREHOUSES = ['duckdb', 'postgres'] as const;
const DATABASE = 'exptrack_pair_id_pairs';
const PAIRS = 300;

const MODELS = `
sources:
  shadow_latency:
    description: One row per replayed request and arm; request_id pairs the shadow row with the live one.
    table: main.shadow_latency
    units: { user: user_id }
    timestamp: event_at
    pair_key: request_id
    columns: { latency_ms: number }
metrics:
  latency_vs_live:
    description: Latency of the variant against live control on the same requests.
    type: paired
    source: shadow_latency
    value: latency_ms
    higher_is_better: false
`;

const spec = (id: string, extra: string) => `id: ${id}
name: ${id}
owner: a@example.com
hypothesis: The shadow model answers the same requests no slower than live.
unit: user
exposure: { source: exposures, experiment_key: checkout_redesign }
variants:
  - { key: control, weight: 0.5 }
  - { key: one_page, weight: 0.5 }
start: 2026-10-04
metrics:
  primary: latency_vs_live
${extra}`;

/** Deterministic draws (a 32-bit LCG): the data, and so the expected sums, are the same at every run. */
function draws(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

let project: string;
const expected = { n: PAIRS, sum: 0, sumSquares: 0 };
const results = new Map<string, Results>();

beforeAll(async () => {
  project = await demoProject();
  const db = await DuckDBInstance.create(join(project, 'target', 'demo.duckdb'));
  const con = await db.connect();
  try {
    // Users analysed in one arm only (no multiple exposure), the first PAIRS + 20 of each arm by id.
    const users = async (variant: string) =>
      ((await con.runAndReadAll(`SELECT user_id FROM main.exposures WHERE experiment_key = 'checkout_redesign'
        GROUP BY user_id HAVING count(DISTINCT variant) = 1 AND min(variant) = '${variant}' ORDER BY user_id LIMIT ${PAIRS + 20}`)).getRowObjectsJson() as { user_id: string }[]).map((r) => r.user_id);
    const control = await users('control');
    const shadow = await users('one_page');
    const u = draws(12);
    const rows: string[] = [];
    const row = (user: string, request: string | null, milli: number) => `('${user}', ${request === null ? 'NULL' : `'${request}'`}, ${(milli / 1000).toFixed(3)}, TIMESTAMP '2026-10-31 12:00:00')`;
    for (let k = 0; k < PAIRS; k++) {
      // Skewed live latency (ms, in thousandths); the shadow is 4 ms slower on average, with noise.
      const live = Math.round(1000 * 40 * Math.exp(0.5 * (u() + u() + u() - 1.5)));
      const diff = Math.round(1000 * (4 + 6 * (u() - 0.5)));
      rows.push(row(control[k], `r-${k}`, live), row(shadow[k], `r-${k}`, live + diff));
      expected.sum += diff;
      expected.sumSquares += diff * diff;
    }
    // Requests seen by one arm only, and rows without a request id: none of them may form a pair.
    for (let k = 0; k < 20; k++) rows.push(row(control[PAIRS + k], `live-only-${k}`, 50_000));
    for (let k = 0; k < 10; k++) rows.push(row(shadow[PAIRS + k], `shadow-only-${k}`, 90_000));
    for (let k = 0; k < 5; k++) rows.push(row(shadow[PAIRS + 10 + k], null, 70_000));
    await con.run(`CREATE TABLE main.shadow_latency (user_id VARCHAR, request_id VARCHAR, latency_ms DECIMAL(12, 3), event_at TIMESTAMP);
      INSERT INTO main.shadow_latency VALUES ${rows.join(',\n')}; CHECKPOINT`);
  } finally {
    con.closeSync();
    db.closeSync();
  }
  // thousandths -> ms
  expected.sum /= 1000;
  expected.sumSquares /= 1e6;
  appendFileSync(join(project, 'models', 'shadow.yaml'), `# yaml-language-server: $schema=./models.schema.json${MODELS}`);
  writeFileSync(join(project, 'specs', 'shadow_latency.yaml'), spec('shadow_latency', 'checks:\n  experiment_drift: { max_drift: 1, severity: warn }\n'));
  writeFileSync(join(project, 'specs', 'shadow_latency_daily.yaml'), spec('shadow_latency_daily', 'analysis: { schedule: daily }\n'));

  const server = postgresServer();
  await freshDatabase(server, DATABASE);
  const admin = await adminClient(server, DATABASE);
  try {
    await loadDuckdbIntoPostgres(join(project, 'target', 'demo.duckdb'), admin);
  } finally {
    await admin.end();
  }
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
