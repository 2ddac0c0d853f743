// A warehouse schema unlike the demo's, for the "Your own warehouse" walkthrough: schema `app`, an
// exposure log keyed by account with `experiment`/`arm`/`seen_at`, one event table keyed by
// `event_name`, and an `accounts` attribute table (is_internal, plan) with no timestamp. Plain SQL
// that DuckDB and PostgreSQL both run, deterministic (no random()).
//
// Planted: purchase conversion 10% (arm `old`) vs 15% (arm `new`) within 7 days of exposure;
// support contacts 5% in both arms; accounts with i % 53 = 0 or i % 298 = 0 are internal;
// accounts with i % 149 = 0 also saw the other arm (13 of them are internal too).
// Exposures 2026-09-01 .. 2026-09-15 (end), events until 2026-09-30.

export const OWN_ACCOUNTS = 4000;

const gen = (n: number) => `generate_series(1, ${n}) AS t(i)`;
// A deterministic pseudo-random percentage from the account number.
const pct = (salt: number) => `((CAST(i AS BIGINT) * i * 7919 + CAST(i AS BIGINT) * ${salt * 104729 + 1} + ${salt * 31337}) % 10007 % 100)`;

export function ownWarehouseSql(): string[] {
  return [
    'CREATE SCHEMA app',
    `CREATE TABLE app.accounts AS
       SELECT 'acc_' || CAST(i AS VARCHAR) AS account_id,
              (i % 53 = 0 OR i % 298 = 0) AS is_internal,
              CASE WHEN i % 3 = 0 THEN 'pro' ELSE 'free' END AS plan
       FROM ${gen(OWN_ACCOUNTS)}`,
    `CREATE TABLE app.experiment_exposures AS
       SELECT 'acc_' || CAST(i AS VARCHAR) AS account_id, 'new_checkout' AS experiment,
              CASE WHEN ${pct(1)} < 50 THEN 'old' ELSE 'new' END AS arm,
              TIMESTAMP '2026-09-01 00:00:00' + (i % 14) * INTERVAL '1 day' + (i % 24) * INTERVAL '1 hour' AS seen_at
       FROM ${gen(OWN_ACCOUNTS)}
       UNION ALL
       SELECT 'acc_' || CAST(i AS VARCHAR), 'new_checkout',
              CASE WHEN ${pct(1)} < 50 THEN 'new' ELSE 'old' END,
              TIMESTAMP '2026-09-14 00:00:00'
       FROM ${gen(OWN_ACCOUNTS)} WHERE i % 149 = 0
       UNION ALL
       SELECT 'acc_' || CAST(i AS VARCHAR), 'pricing_page', 'a', TIMESTAMP '2026-09-03 00:00:00'
       FROM ${gen(500)}`,
    `CREATE TABLE app.events AS
       SELECT e.account_id, 'purchase' AS event_name, e.seen_at + INTERVAL '2 day' AS occurred_at, CAST(40 + t.i % 7 AS DOUBLE PRECISION) AS revenue
       FROM app.experiment_exposures e JOIN ${gen(OWN_ACCOUNTS)} ON e.account_id = 'acc_' || CAST(t.i AS VARCHAR)
       WHERE e.experiment = 'new_checkout' AND e.seen_at < TIMESTAMP '2026-09-14 00:00:00'
         AND ${pct(2)} < CASE WHEN e.arm = 'new' THEN 15 ELSE 10 END
       UNION ALL
       SELECT 'acc_' || CAST(i AS VARCHAR), 'support_contact', TIMESTAMP '2026-09-16 00:00:00' + (i % 5) * INTERVAL '1 day', CAST(NULL AS DOUBLE PRECISION)
       FROM ${gen(OWN_ACCOUNTS)} WHERE ${pct(3)} < 5
       UNION ALL
       SELECT 'acc_' || CAST(i AS VARCHAR), 'page_view', TIMESTAMP '2026-09-01 00:00:00' + (i % 30) * INTERVAL '1 day' + INTERVAL '12 hour', CAST(NULL AS DOUBLE PRECISION)
       FROM ${gen(OWN_ACCOUNTS)}`,
  ];
}
