// A project over the "Your own warehouse" schema (own-warehouse-sql.ts) whose spec breaks results
// down by an attribute table's column (`accounts.plan`, no timestamp, joined on the unit) and
// excludes internal accounts through the same table. Used by the attribute-table tests on DuckDB,
// Postgres and the BigQuery/Snowflake fakes, and by the golden SQL of attribute tables.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ATTRIBUTE_SPEC_ID = 'plan_checkout';
/** The concluded experiment's default as-of: end 2026-09-15 + the 7-day windows. */
export const ATTRIBUTE_AS_OF = '2026-09-22T00:00:00.000Z';

export const ATTRIBUTE_MODELS = {
  'sources.yaml': `sources:
  experiment_exposures:
    table: app.experiment_exposures
    units: { account: account_id }
    timestamp: seen_at
    experiment_key: experiment
    variant: arm
  events:
    table: app.events
    units: { account: account_id }
    timestamp: occurred_at
    columns: { event_name: string, revenue: number }
  accounts:
    table: app.accounts
    units: { account: account_id }
    columns: { is_internal: boolean, plan: string }
`,
  'checkout.yaml': `metrics:
  purchased:
    type: proportion
    source: events
    filter: "event_name = 'purchase'"
    window: { duration: 7d }
  revenue_per_account:
    type: mean
    source: events
    value: revenue
    filter: "event_name = 'purchase'"
    window: { duration: 7d }
filters:
  internal_accounts:
    source: accounts
    where: "is_internal"
`,
};

export const ATTRIBUTE_SPEC = `id: ${ATTRIBUTE_SPEC_ID}
name: New checkout by plan
owner: you@example.com
hypothesis: The new checkout raises purchases on every plan.
unit: account
exposure: { source: experiment_exposures, experiment_key: new_checkout }
variants:
  - { key: old, weight: 0.5 }
  - { key: new, weight: 0.5 }
start: 2026-09-01
end: 2026-09-15
audience:
  exclude: [internal_accounts]
metrics:
  primary: purchased
  secondary: [revenue_per_account]
dimensions: [accounts.plan]
`;

/** Writes the project into `dir` with the given targets (YAML under `targets:`). */
export function writeAttributeProject(dir: string, targetsYaml: string, defaultTarget: string): void {
  mkdirSync(join(dir, 'models'), { recursive: true });
  mkdirSync(join(dir, 'specs'), { recursive: true });
  writeFileSync(join(dir, 'exptrack.yaml'), `name: attribute-tables\ndefault_target: ${defaultTarget}\ntargets:\n${targetsYaml}`);
  for (const [f, text] of Object.entries(ATTRIBUTE_MODELS)) writeFileSync(join(dir, 'models', f), text);
  writeFileSync(join(dir, 'specs', `${ATTRIBUTE_SPEC_ID}.yaml`), ATTRIBUTE_SPEC);
}

/**
 * The expected breakdown, computed straight from the tables (not through exptrack's SQL): per plan
 * and arm, the analysed accounts (one arm only, not internal) and those that purchased within 7 days
 * of first exposure. Plain SQL for DuckDB and Postgres; rows (plan, arm, units, purchasers).
 */
export const EXPECTED_BY_PLAN_SQL = `
WITH u AS (
  SELECT account_id, MIN(arm) AS arm, MAX(arm) AS arm2, MIN(seen_at) AS first_seen
  FROM app.experiment_exposures
  WHERE experiment = 'new_checkout' AND seen_at >= TIMESTAMP '2026-09-01 00:00:00' AND seen_at < TIMESTAMP '2026-09-15 00:00:00'
  GROUP BY account_id
)
SELECT a.plan, u.arm, COUNT(*) AS units,
       SUM(CASE WHEN EXISTS (
         SELECT 1 FROM app.events e
         WHERE e.account_id = u.account_id AND e.event_name = 'purchase'
           AND e.occurred_at >= u.first_seen AND e.occurred_at < u.first_seen + INTERVAL '7 day'
       ) THEN 1 ELSE 0 END) AS purchasers
FROM u JOIN app.accounts a ON a.account_id = u.account_id
WHERE u.arm = u.arm2 AND NOT a.is_internal
GROUP BY a.plan, u.arm
ORDER BY a.plan, u.arm`;

interface DimensionResult {
  dimension: string;
  value: string;
  arms: { variant: string; n: number; sum: number }[];
}

/** The primary metric's breakdown in results.json as rows (plan, arm, units, purchasers), sorted like the SQL above. */
export function breakdownRows(results: { metrics: { role: string; dimensions: DimensionResult[] }[] }): [string, string, number, number][] {
  const primary = results.metrics.find((m) => m.role === 'primary')!;
  return primary.dimensions
    .filter((d) => d.dimension === 'accounts.plan')
    .flatMap((d) => d.arms.map((a) => [d.value, a.variant, a.n, a.sum] as [string, string, number, number]))
    .sort((x, y) => (x[0] + x[1] < y[0] + y[1] ? -1 : 1));
}
