/**
 * SQL that generates the benchmark warehouse inside DuckDB. Every value is a function of
 * hash(row keys, seed), so a seed always gives the same rows whatever the thread count or row order.
 *
 * Shape (per unit i of n):
 * - units are split 50/50 into control and treatment, first exposed uniformly over 14 days;
 * - 20% see the experiment again in the same variant, and 3% also in the other variant
 *   (real multiple exposure, which the pipeline must drop and the check must count);
 * - 30% are also exposed to an unrelated experiment that runs up to the as-of, so the experiment-key
 *   filter selects and the exposure source is fresh;
 * - 0.5% are employees (the audience filter's target);
 * - each unit has an activity level (exponential, mean 1) and a purchase propensity; both drive its
 *   events before AND after exposure, so pre-exposure behaviour predicts post-exposure behaviour (CUPED);
 * - events are spread over 14 days before to 14 days after first exposure; after exposure, treatment
 *   buys 10% more often and adds to cart 5% more often (the planted lift);
 * - purchase amounts are Pareto (minimum 20, shape 1.6): a heavy tail that capping is for.
 */

export const BENCH_EXPERIMENT = 'bench_exp';
export const BENCH_START = '2026-10-01T00:00:00Z';
/** Exposures run 14 days; events reach 14 days past the last exposure, past the as-of. */
export const BENCH_AS_OF = '2026-10-29T00:00:00Z';
export const EVENTS_PER_UNIT = 10;
export const UNITS_PER_SCALE = 1_000_000;
/** Bumped whenever the generated data changes, so an old file is rebuilt. */
export const GENERATOR_VERSION = 2;

export const SHARES = { doubleExposure: 0.03, repeatExposure: 0.2, otherExperiment: 0.3, employee: 0.005 } as const;
export const COUNTRIES = ['US', 'DE', 'GB', 'FR', 'BR', 'IN', 'JP', 'CA', 'ES', 'MX'] as const;
export const PLATFORMS = ['web', 'ios', 'android'] as const;
export const PURCHASE_RATE = 0.03;
export const PLANTED_PURCHASE_LIFT = 0.1;

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
const tsLit = (iso: string) => `TIMESTAMP '${iso.replace('T', ' ').replace('Z', '')}'`;
const DAY_US = 86_400_000_000;

export function unitCount(scale: number): number {
  if (!(scale > 0) || !Number.isFinite(scale)) throw new Error(`--scale must be a positive number, got ${scale}`);
  return Math.max(1000, Math.round(UNITS_PER_SCALE * scale));
}

/** Uniform draws in [0, 1) keyed by row and a per-use tag; TEMP so nothing but data lands in the file. */
export function drawMacrosSql(seed: number): string[] {
  if (!Number.isSafeInteger(seed)) throw new Error(`--seed must be an integer, got ${seed}`);
  return [
    `CREATE OR REPLACE TEMP MACRO u1(a, tag) AS (hash(a, tag, ${seed})::DOUBLE / 18446744073709551616.0)`,
    `CREATE OR REPLACE TEMP MACRO u2(a, b, tag) AS (hash(a, b, tag, ${seed})::DOUBLE / 18446744073709551616.0)`,
  ];
}

export function unitsSql(units: number): string {
  const countries = `[${COUNTRIES.map(lit).join(', ')}]`;
  return `
CREATE TEMP TABLE bench_units AS
SELECT
  i AS user_id,
  CASE WHEN u1(i, 1) < 0.5 THEN 'control' ELSE 'treatment' END AS variant,
  ${tsLit(BENCH_START)} + to_microseconds(CAST(floor(u1(i, 2) * ${14 * DAY_US}) AS BIGINT)) AS first_exposed_at,
  -- skewed: the first countries are the big markets
  ${countries}[1 + CAST(floor(pow(u1(i, 3), 2) * ${COUNTRIES.length}) AS INTEGER)] AS country,
  CASE WHEN u1(i, 4) < 0.55 THEN 'web' WHEN u1(i, 4) < 0.85 THEN 'ios' ELSE 'android' END AS platform,
  u1(i, 5) < ${SHARES.employee} AS is_employee,
  -ln(1 - u1(i, 6)) AS activity,
  0.5 + u1(i, 7) AS propensity,
  u1(i, 8) < ${SHARES.doubleExposure} AS double_exposed,
  u1(i, 9) < ${SHARES.repeatExposure} AS repeat_exposed,
  u1(i, 10) < ${SHARES.otherExperiment} AS in_other_experiment
FROM range(${units}) AS t(i)`;
}

export const TABLE_DDL = {
  exposures: `CREATE TABLE main.exposures (
  user_id BIGINT, experiment_key VARCHAR, variant VARCHAR, exposed_at TIMESTAMP, loaded_at TIMESTAMP,
  country VARCHAR, platform VARCHAR, is_employee BOOLEAN)`,
  events: `CREATE TABLE main.events (
  user_id BIGINT, event_at TIMESTAMP, loaded_at TIMESTAMP, event_name VARCHAR, amount DECIMAL(12, 2))`,
  bench_meta: 'CREATE TABLE main.bench_meta (scale DOUBLE, seed BIGINT, generator_version INTEGER, units BIGINT)',
} as const;

/** Load lag: up to 2 hours after the row's time. */
const loadedAt = (t: string, draw: string) => `${t} + to_microseconds(CAST(floor(${draw} * ${2 * 3_600_000_000}) AS BIGINT))`;

export function exposuresSql(): string {
  const row = (variant: string, at: string, lag: string) =>
    `SELECT user_id, ${lit(BENCH_EXPERIMENT)}, ${variant}, ${at}, ${loadedAt(at, lag)}, country, platform, is_employee FROM bench_units`;
  // The unrelated experiment keeps running up to the as-of, so the exposure source is fresh (latency check).
  const otherAt = `${tsLit(BENCH_START)} + to_microseconds(CAST(floor(u1(user_id, 27) * ${28 * DAY_US}) AS BIGINT))`;
  const later = (tag: number, days: number) => `first_exposed_at + to_microseconds(CAST(floor(u1(user_id, ${tag}) * ${days * DAY_US}) AS BIGINT))`;
  return `
INSERT INTO main.exposures
${row('variant', 'first_exposed_at', 'u1(user_id, 20)')}
UNION ALL
${row('variant', later(21, 3), 'u1(user_id, 22)')} WHERE repeat_exposed
UNION ALL
${row("CASE variant WHEN 'control' THEN 'treatment' ELSE 'control' END", later(23, 5), 'u1(user_id, 24)')} WHERE double_exposed
UNION ALL
SELECT user_id, 'bench_other', CASE WHEN u1(user_id, 25) < 0.5 THEN 'a' ELSE 'b' END, other_at, ${loadedAt('other_at', 'u1(user_id, 26)')},
  country, platform, is_employee
FROM (SELECT *, ${otherAt} AS other_at FROM bench_units WHERE in_other_experiment)`;
}

export function eventsSql(): string {
  const lift = (rate: number, relLift: number) =>
    `${rate} * propensity * CASE WHEN variant = 'treatment' AND event_at >= first_exposed_at THEN ${1 + relLift} ELSE 1 END`;
  return `
INSERT INTO main.events
WITH unit_events AS (
  SELECT user_id, variant, first_exposed_at, propensity,
    unnest(range(CAST(round(activity * ${EVENTS_PER_UNIT}) AS BIGINT))) AS j
  FROM bench_units
), timed AS (
  SELECT *,
    first_exposed_at + to_microseconds(CAST(floor((u2(user_id, j, 30) * 28 - 14) * ${DAY_US}) AS BIGINT)) AS event_at,
    u2(user_id, j, 31) AS r
  FROM unit_events
), named AS (
  SELECT *,
    CASE
      WHEN r < ${lift(PURCHASE_RATE, PLANTED_PURCHASE_LIFT)} THEN 'purchase'
      WHEN r >= 0.1 AND r < 0.1 + ${lift(0.08, 0.05)} THEN 'add_to_cart'
      WHEN r BETWEEN 0.3 AND 0.31 THEN 'checkout_error'
      WHEN r BETWEEN 0.4 AND 0.55 THEN 'session_start'
      ELSE 'page_view'
    END AS event_name
  FROM timed
)
SELECT user_id, event_at, ${loadedAt('event_at', 'u2(user_id, j, 32)')}, event_name,
  CASE WHEN event_name = 'purchase' THEN CAST(round(20 * pow(1 - u2(user_id, j, 33), -1 / 1.6), 2) AS DECIMAL(12, 2)) END
FROM named`;
}

export function metaSql(scale: number, seed: number, units: number): string {
  return `INSERT INTO main.bench_meta VALUES (${scale}, ${seed}, ${GENERATOR_VERSION}, ${units})`;
}
