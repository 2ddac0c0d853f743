// Warehouses in the style of public experimentation schemas, which exptrack's authors did not design
// for: the "stranger" walkthroughs (test/onboard/stranger-walkthrough.test.ts) replay the README on
// them. Plain SQL that DuckDB runs, deterministic (no random()).
//
// eppoStyleSql: Eppo's documented assignment log (`timestamp`, `experiment`, `variation`, `subject`,
// `allocation`), a purchases fact table with its own id column name (`user_id`) and an event time
// called `ts`, and a `users` attribute table (`is_internal`, `country`) with no timestamp.
// The experiment `free_shipping` ran 2026-08-03 .. 2026-08-17 and ended weeks before today.
// Planted: purchase conversion 20% (control) vs 26% (treatment) within 7 days; users with
// i % 41 = 0 are internal; users with i % 97 = 0 also saw the other variation; shoppers outside the
// experiment buy every 5 hours from July to September.
//
// statsigStyleSql: Statsig's documented exposure table (`unit_id`, `experiment_id`, `group_name`,
// `timestamp`), one event table keyed by `event_name` with a numeric `value`, and `user_dimensions`
// (`is_employee`, `tier`). The experiment `search_ranking` ran 2026-07-06 .. 2026-07-20.
// Planted: searches per user 3 (Control) vs 3.5 (Test); `search_success` 40% vs 44%; users with
// i % 37 = 0 are employees; tier 'paid' for i % 5 = 0. Visitors outside the experiment search until September.

export const STRANGER_USERS = 3000;

const gen = (n: number) => `generate_series(1, ${n}) AS t(i)`;
const pct = (salt: number) => `((CAST(i AS BIGINT) * i * 7919 + CAST(i AS BIGINT) * ${salt * 104729 + 1} + ${salt * 31337}) % 10007 % 100)`;

export function eppoStyleSql(): string[] {
  return [
    'CREATE SCHEMA analytics',
    `CREATE TABLE analytics.users AS
       SELECT 'u' || CAST(i AS VARCHAR) AS user_id, (i % 41 = 0) AS is_internal,
              CASE WHEN i % 4 = 0 THEN 'DE' WHEN i % 4 = 1 THEN 'US' ELSE 'FR' END AS country
       FROM ${gen(STRANGER_USERS)}`,
    `CREATE TABLE analytics.assignments AS
       SELECT TIMESTAMP '2026-08-03 00:00:00' + (i % 14) * INTERVAL '1 day' + (i % 24) * INTERVAL '1 hour' AS "timestamp",
              'free_shipping' AS experiment,
              CASE WHEN ${pct(1)} < 50 THEN 'control' ELSE 'treatment' END AS variation,
              'u' || CAST(i AS VARCHAR) AS subject, 'default' AS allocation
       FROM ${gen(STRANGER_USERS)}
       UNION ALL
       SELECT TIMESTAMP '2026-08-16 00:00:00', 'free_shipping',
              CASE WHEN ${pct(1)} < 50 THEN 'treatment' ELSE 'control' END, 'u' || CAST(i AS VARCHAR), 'default'
       FROM ${gen(STRANGER_USERS)} WHERE i % 97 = 0
       UNION ALL
       SELECT TIMESTAMP '2026-08-05 00:00:00', 'dark_mode', 'on', 'u' || CAST(i AS VARCHAR), 'default' FROM ${gen(300)}`,
    `CREATE TABLE analytics.purchases AS
       SELECT a.subject AS user_id, a."timestamp" + INTERVAL '3 day' AS ts, CAST(20 + t.i % 9 AS DECIMAL(10, 2)) AS amount
       FROM analytics.assignments a JOIN ${gen(STRANGER_USERS)} ON a.subject = 'u' || CAST(t.i AS VARCHAR)
       WHERE a.experiment = 'free_shipping' AND a."timestamp" < TIMESTAMP '2026-08-16 00:00:00'
         AND ${pct(2)} < CASE WHEN a.variation = 'treatment' THEN 26 ELSE 20 END
       UNION ALL
       SELECT 'u' || CAST(i AS VARCHAR), TIMESTAMP '2026-08-25 10:00:00' + (i % 9) * INTERVAL '1 day', CAST(15 AS DECIMAL(10, 2))
       FROM ${gen(STRANGER_USERS)} WHERE i % 17 = 0
       UNION ALL
       -- Shoppers outside the experiment, every few hours from 2026-07-01 to 2026-09-30.
       SELECT 'guest' || CAST(i AS VARCHAR), TIMESTAMP '2026-07-01 00:00:00' + i * INTERVAL '5 hour', CAST(30 AS DECIMAL(10, 2))
       FROM ${gen(440)}`,
  ];
}

export function statsigStyleSql(): string[] {
  return [
    'CREATE SCHEMA statsig',
    `CREATE TABLE statsig.user_dimensions AS
       SELECT 'user-' || CAST(i AS VARCHAR) AS unit_id, (i % 37 = 0) AS is_employee,
              CASE WHEN i % 5 = 0 THEN 'paid' ELSE 'free' END AS tier
       FROM ${gen(STRANGER_USERS)}`,
    `CREATE TABLE statsig.exposures AS
       SELECT 'user-' || CAST(i AS VARCHAR) AS unit_id, 'search_ranking' AS experiment_id,
              CASE WHEN ${pct(4)} < 50 THEN 'Control' ELSE 'Test' END AS group_name,
              TIMESTAMP '2026-07-06 00:00:00' + (i % 14) * INTERVAL '1 day' + (i % 20) * INTERVAL '1 hour' AS "timestamp"
       FROM ${gen(STRANGER_USERS)}`,
    `CREATE TABLE statsig.events AS
       SELECT x.unit_id, 'search' AS event_name, x."timestamp" + (k.j) * INTERVAL '5 hour' AS "timestamp", CAST(NULL AS DOUBLE) AS value
       FROM statsig.exposures x, generate_series(1, 4) AS k(j)
       WHERE k.j <= CASE WHEN x.group_name = 'Test' AND CAST(substr(x.unit_id, 6) AS INTEGER) % 2 = 0 THEN 4 ELSE 3 END
       UNION ALL
       SELECT x.unit_id, 'search_success', x."timestamp" + INTERVAL '30 hour', 1.0
       FROM statsig.exposures x JOIN ${gen(STRANGER_USERS)} ON x.unit_id = 'user-' || CAST(t.i AS VARCHAR)
       WHERE ${pct(5)} < CASE WHEN x.group_name = 'Test' THEN 44 ELSE 40 END
       UNION ALL
       -- Users outside the experiment keep searching, every 3 hours until September.
       SELECT 'visitor-' || CAST(i AS VARCHAR), 'search', TIMESTAMP '2026-06-20 00:00:00' + i * INTERVAL '3 hour', CAST(NULL AS DOUBLE)
       FROM ${gen(600)}`,
  ];
}
