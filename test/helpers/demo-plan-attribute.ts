// An attribute-table dimension over the demo's users, for the incremental identity test: main.user_plans
// (no timestamp, one plan per user) and a copy of checkout_redesign broken down by country and plan.
// Some users' plan changes from one as-of to the next with no new exposure row, which is what a state
// that stored the plan per unit would miss.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const PLAN_SPEC_ID = 'checkout_by_plan';

const PLAN_SOURCE = `sources:
  user_plans:
    description: The user's current plan; rewritten in place, no event time.
    table: main.user_plans
    units: { user: user_id }
    columns: { plan: string }
`;

/** Adds models/user-plans.yaml and specs/checkout_by_plan.yaml to a demo project copy. */
export function addPlanSpec(project: string): void {
  writeFileSync(join(project, 'models', 'user-plans.yaml'), PLAN_SOURCE);
  const base = readFileSync(join(project, 'specs', 'checkout_redesign.yaml'), 'utf8');
  const spec = base.replace('id: checkout_redesign', `id: ${PLAN_SPEC_ID}`).replace('dimensions: [country, platform]', 'dimensions: [country, user_plans.plan]');
  if (spec === base) throw new Error('checkout_redesign.yaml changed: the plan fixture needs updating');
  writeFileSync(join(project, 'specs', `${PLAN_SPEC_ID}.yaml`), spec);
}

/**
 * DuckDB SQL that writes main.user_plans as of `asOf` (an ISO instant) from the demo's exposed users
 * (the attached demo database `demo`): a plan by a hash of the user id, one user in seven upgraded to
 * 'enterprise' from 2026-10-24 on, and one in eleven with no row (no plan).
 */
export function userPlansSql(asOf: string): string {
  const upgraded = asOf >= '2026-10-24' ? `WHEN hash(user_id) % 7 = 0 THEN 'enterprise' ` : '';
  return `CREATE OR REPLACE TABLE main.user_plans AS
SELECT user_id, CASE ${upgraded}WHEN hash(user_id) % 3 = 0 THEN 'pro' ELSE 'free' END AS plan
FROM (SELECT DISTINCT user_id FROM demo.main.exposures) AS u
WHERE hash(user_id) % 11 <> 0
ORDER BY user_id`;
}
