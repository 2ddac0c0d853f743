import { shardRanges } from '../assignment/index.js';
import { DEMO_TRUTH, type DemoExperimentTruth } from './demo-truth.js';

/** A TIMESTAMP literal for an ISO instant: the tables hold UTC wall-clock time without a zone. */
export function ts(iso: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/.test(iso)) throw new Error(`not a UTC ISO instant: ${iso}`);
  return `TIMESTAMP '${iso.replace('T', ' ').replace('Z', '')}'`;
}

export function lit(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Finite numbers only: they are pasted into SQL, so NaN or Infinity would break or silently change it. */
export function num(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  return String(value);
}

/** `base + floor(seconds)`: whole seconds keep the data readable and avoid float noise in timestamps. */
export function plusSeconds(base: string, seconds: string): string {
  return `(${base} + to_seconds(CAST(floor(${seconds}) AS BIGINT)))`;
}

/** `base - floor(seconds)`. */
export function minusSeconds(base: string, seconds: string): string {
  return `(${base} - to_seconds(CAST(floor(${seconds}) AS BIGINT)))`;
}

/** Picks a key by cumulative share from a uniform draw column (the last key takes the rounding remainder). */
export function pickByShare(draw: string, shares: Readonly<Record<string, number>>): string {
  const entries = Object.entries(shares);
  if (entries.length === 0) throw new Error('no shares to pick from');
  let acc = 0;
  const whens = entries.slice(0, -1).map(([key, share]) => {
    acc += share;
    return `WHEN ${draw} < ${num(acc)} THEN ${lit(key)}`;
  });
  const last = lit(entries[entries.length - 1][0]);
  return whens.length === 0 ? last : `CASE ${whens.join(' ')} ELSE ${last} END`;
}

/**
 * `u01(key, tag, k)`: a uniform draw in [0, 1) that depends only on the seed and its arguments, so the data
 * is the same whatever the thread count or row order (random()/setseed are not). The outer hash() matters:
 * DuckDB combines multi-argument hashes by XOR-ing in the last argument, so hash(seed, id, 'a') and
 * hash(seed, id, 'b') differ only by a fixed bit mask and are strongly correlated; re-hashing remixes them.
 */
export function drawMacroSql(seed: number): string {
  if (!Number.isSafeInteger(seed)) throw new Error(`demo seed must be a safe integer, got ${seed}`);
  return `CREATE OR REPLACE TEMP MACRO u01(key, tag, k) AS
  hash(hash(CAST(${seed} AS BIGINT), key, tag, CAST(k AS BIGINT))) / 18446744073709551616.0`;
}

/** Zero-padded ids sort like their numbers; the width grows with scale so lpad never truncates into duplicates. */
function idWidth(units: number): number {
  return Math.max(6, String(units - 1).length);
}

/**
 * Assigned users of one experiment, with the per-experiment constants pasted in. Assignment is complete
 * randomization with fixed arm sizes (a seeded random order, cut at the planned weight): with plain coin
 * flips, chance imbalance (sd ~1% of units) would blur the planted 10% logging loss of pricing_banner, so
 * the only arm imbalance in the data is the one planted (plus random exclusions such as employees).
 */
function experimentUnitsSql(key: string, e: DemoExperimentTruth, units: number): string {
  if (e.variants.length < 2 || e.weights.length !== e.variants.length) throw new Error(`demo experiment ${key}: needs two or more variants, one weight each`);
  if (e.assignment && e.variants.length !== 2) throw new Error(`demo experiment ${key}: hash assignment is built for two arms`);
  // Arm k takes the ranks below the k-th cumulative cut; with two arms the one cut is the first arm's size.
  const total = e.weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  const conditions = e.weights.slice(0, -1).map((w) => {
    acc += w;
    return e.assignment ? hashedFirstArm(e, e.assignment) : `arm_rank < ${Math.round((units * acc) / total)}`;
  });
  const byArm = (values: string[]) =>
    `CASE ${conditions.map((c, i) => `WHEN ${c} THEN ${values[i]}`).join(' ')} ELSE ${values[values.length - 1]} END`;
  const per = (f: (v: string) => number) => byArm(e.variants.map((v) => num(f(v))));
  return `SELECT
    ${lit(key)} AS experiment_key, ${lit(e.source)} AS source, user_id,
    ${byArm(e.variants.map(lit))} AS variant,
    ${byArm(e.variants.map((_, i) => lit(e.variants[(i + 1) % e.variants.length])))} AS other_variant,
    ${per((v) => e.rates[v] ?? 0)} AS rate,
    ${per((v) => e.exposureLoss[v] ?? 0)} AS loss,
    CAST(${per((v) => e.amountFactor?.[v] ?? 1)} AS DOUBLE) AS amount_factor,
    ${num(e.crossVariantShare)} AS cross_share,
    ${num(e.windowDays)} AS window_days,
    ${pickByShare('platform_u', e.platformShares)} AS platform
  FROM (
    -- user_id breaks (practically impossible) draw ties, so the order never depends on the execution.
    SELECT user_id, row_number() OVER (ORDER BY u01(user_id, 'arm', 0), user_id) - 1 AS arm_rank,
      u01(user_id, 'platform', 0) AS platform_u
    FROM (SELECT ${lit(e.prefix + '-')} || lpad(CAST(i AS VARCHAR), ${idWidth(units)}, '0') AS user_id FROM range(${units}) AS r(i))
  )`;
}

/**
 * The md5_shards scheme (exptrack/assignment) in DuckDB: first 8 hex digits of md5(salt-user_id) mod
 * shards, below the first variant's range end. A planted share of units is flipped to the other arm.
 */
function hashedFirstArm(e: DemoExperimentTruth, a: NonNullable<DemoExperimentTruth['assignment']>): string {
  const firstEnd = shardRanges(e.variants.map((key, i) => ({ key, weight: e.weights[i] })), a.shards)[0].end;
  const shard = `(CAST(('0x' || LEFT(md5(${lit(`${a.salt}-`)} || user_id), 8)) AS UBIGINT) % ${num(a.shards)})`;
  return `((${shard} < ${num(firstEnd)}) <> (u01(user_id, 'mismatch', 0) < ${num(a.mismatchShare)}))`;
}

/** Unit counts at the given scale; at least one user per experiment so every arm query still has data. */
export function scaledUnits(e: DemoExperimentTruth, scale: number): number {
  if (!Number.isFinite(scale) || scale <= 0) throw new Error(`demo scale must be a positive number, got ${scale}`);
  return Math.max(1, Math.round(e.units * scale));
}

/**
 * One row per assigned user with every per-user draw the event generators need. Kept as a temp table so
 * exposures and events agree on first exposure, arm and conversion; it is not part of the warehouse.
 */
export function unitsSql(scale: number): string {
  const t = DEMO_TRUTH;
  const perExperiment = Object.entries(t.experiments).map(([key, e]) => experimentUnitsSql(key, e, scaledUnits(e, scale)));
  const firstSpan = (Date.parse(t.firstExposureEnd) - Date.parse(t.start)) / 1000;
  const visits = Object.entries(t.visitShares);
  return `CREATE TEMP TABLE demo_units AS
WITH assigned AS (
  ${perExperiment.join('\n  UNION ALL\n  ')}
)
SELECT
  a.*,
  ${plusSeconds(ts(t.start), `u01(user_id, 'first', 0) * ${num(firstSpan)}`)} AS first_at,
  ${pickByShare(`u01(user_id, 'country', 0)`, t.countryShares)} AS country,
  u01(user_id, 'employee', 0) < ${num(t.employeeShare)} AS is_employee,
  CAST(${pickByShare(`u01(user_id, 'visits', 0)`, Object.fromEntries(visits))} AS INTEGER) AS n_visits,
  -- Lost users were assigned and behave normally; only their exposure logging failed.
  u01(user_id, 'lost', 0) >= loss AS logged,
  u01(user_id, 'cross', 0) < cross_share AS cross_variant,
  u01(user_id, 'convert', 0) < rate AS converts
FROM assigned AS a`;
}
