// The pair-id fixture shared by the matrix test and the cloud-fake test: a shadow variant replayed on
// the same requests as live control, as a source with pair_key over the demo's checkout_redesign units.
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

export const PAIRS = 300;

export const MODELS = `
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

export const shadowSpec = (id: string, extra: string) => `id: ${id}
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

/**
 * Adds main.shadow_latency to the demo warehouse of `project`, the source and metric to its models and
 * the two specs (fixed horizon with a drift check; scheduled); returns the expected sums of the
 * differences, computed from the generated rows in integer thousandths (exact).
 */
export async function addShadowFixture(project: string): Promise<{ n: number; sum: number; sumSquares: number }> {
  const expected = { n: PAIRS, sum: 0, sumSquares: 0 };
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
  addShadowSpecs(project);
  // thousandths -> ms
  return { n: expected.n, sum: expected.sum / 1000, sumSquares: expected.sumSquares / 1e6 };
}

/** The models and specs only (compiling needs no data). */
export function addShadowSpecs(project: string): void {
  appendFileSync(join(project, 'models', 'shadow.yaml'), `# yaml-language-server: $schema=./models.schema.json${MODELS}`);
  writeFileSync(join(project, 'specs', 'shadow_latency.yaml'), shadowSpec('shadow_latency', 'checks:\n  experiment_drift: { max_drift: 1, severity: warn }\n'));
  writeFileSync(join(project, 'specs', 'shadow_latency_daily.yaml'), shadowSpec('shadow_latency_daily', 'analysis: { schedule: daily }\n'));
}
