// A demo project (src/demo's generated warehouse, no new generator) plus experiments made by relabelling
// the arms of checkout_redesign, whose planted conversion rates are 12% (control) and 16% (one_page).
// Splitting one_page by the parity of the user number gives two arms with the same planted rate, so
// three-arm experiments with a known truth come out of the two-arm demo: two winners, one arm worse
// and one flat, and every treatment worse. Extra metrics (models/branch-metrics.yaml) give a guardrail
// that gets significantly worse and one that cannot be measured (no unit ever has its event).
import { mkdirSync, rmSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { demoProject } from './demo-project.js';

/** Arm of a one_page user by the parity of its number (ids look like cr-000123): an even split of a 16% arm. */
const PARITY = 'CAST(substr(user_id, 4) AS INTEGER) % 2';

function relabel(key: string, variant: string): string {
  return `SELECT user_id, '${key}' AS experiment_key, ${variant} AS variant, exposed_at, loaded_at, country, platform, is_employee
    FROM main.exposures WHERE experiment_key = 'checkout_redesign'`;
}

/** The relabelled exposures: one experiment key per shape. A table, not a view, so the Postgres loader copies it. */
export const RELABELLED_EXPOSURES_SQL = `CREATE TABLE main.relabelled_exposures AS
  ${relabel('two_winners', `CASE WHEN variant = 'control' THEN 'control' WHEN ${PARITY} = 0 THEN 'win_a' ELSE 'win_b' END`)}
  UNION ALL
  ${relabel('worse_and_flat', `CASE WHEN variant = 'control' THEN 'worse' WHEN ${PARITY} = 0 THEN 'control' ELSE 'flat' END`)}
  UNION ALL
  ${relabel('all_worse', `CASE WHEN variant = 'control' THEN 'worse' ELSE 'control' END`)}`;

const MODELS = `sources:
  relabelled_exposures:
    description: checkout_redesign's exposures with its arms relabelled (test/helpers/branch-project.ts).
    table: main.relabelled_exposures
    units: { user: user_id }
    timestamp: exposed_at
    loaded_at: loaded_at
    experiment_key: experiment_key
    variant: variant
    columns: { country: string, platform: string, is_employee: boolean }
metrics:
  orders_as_cost:
    label: Orders per user, counted as a cost
    description: The orders metric with fewer taken as better, so a winning checkout makes this guardrail significantly worse.
    type: count
    source: web_events
    filter: "event_name = 'order_completed'"
    window: { duration: 7d }
    higher_is_better: false
  never_logged:
    label: An event nobody has
    description: No unit ever has this event, so its control rate is 0 and a relative lift cannot be estimated.
    type: proportion
    source: web_events
    filter: "event_name = 'never_logged'"
    window: { duration: 7d }
`;

/** One spec's YAML: checkout_redesign's shape with the given exposure, arms and extra lines. */
export function branchSpec(id: string, o: { source?: string; key: string; variants: [string, number][]; extra?: string }): string {
  return [
    `id: ${id}`,
    `name: Branch test ${id}`,
    'owner: tests@example.com',
    'hypothesis: A decision branch is reached through the real pipeline.',
    'unit: user',
    `exposure: { source: ${o.source ?? 'exposures'}, experiment_key: ${o.key} }`,
    'variants:',
    ...o.variants.map(([k, w]) => `  - { key: ${k}, weight: ${w} }`),
    'start: 2026-10-04',
    o.extra ?? 'metrics: { primary: order_completed }',
    '',
  ].join('\n');
}

/**
 * The demo project with the relabelled exposures and extra metrics, and `specs` (id -> YAML) as its only
 * specs. Returns the project folder; its warehouse is target/demo.duckdb.
 */
export async function branchProject(specs: Record<string, string>): Promise<string> {
  const project = await demoProject();
  const db = await DuckDBInstance.create(join(project, 'target', 'demo.duckdb'));
  const conn = await db.connect();
  try {
    await conn.run(RELABELLED_EXPOSURES_SQL);
    await conn.run('CHECKPOINT');
  } finally {
    conn.closeSync();
    db.closeSync();
  }
  writeFileSync(join(project, 'models', 'branch-metrics.yaml'), MODELS);
  for (const f of readdirSync(join(project, 'specs'))) if (f.endsWith('.yaml')) rmSync(join(project, 'specs', f));
  mkdirSync(join(project, 'specs'), { recursive: true });
  for (const [id, yaml] of Object.entries(specs)) writeFileSync(join(project, 'specs', `${id}.yaml`), yaml);
  return project;
}
