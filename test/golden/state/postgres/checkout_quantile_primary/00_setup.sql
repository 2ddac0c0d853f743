-- exptrack experiment checkout_quantile_primary, step state setup, as of 2026-11-01T00:00:00.000Z
-- The one table shared by every experiment in the write schema: which state each one holds.
CREATE SCHEMA IF NOT EXISTS "analytics_state"
;
-- exptrack experiment checkout_quantile_primary, step state setup, as of 2026-11-01T00:00:00.000Z
-- The one table shared by every experiment in the write schema: which state each one holds.
CREATE TABLE IF NOT EXISTS "analytics_state"."exptrack_state" (
  experiment_id VARCHAR,
  fingerprint VARCHAR,
  watermark VARCHAR,
  as_of VARCHAR,
  run_id VARCHAR,
  tool_version VARCHAR
)
;
-- exptrack experiment checkout_quantile_primary, step state setup, as of 2026-11-01T00:00:00.000Z
-- The one table shared by every experiment in the write schema: which state each one holds.
-- A transaction-scoped advisory lock per experiment and write schema: a second run (from any machine)
-- waits here until the first commits or rolls back, then reads the state the first one left.
SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(231815989162861)) AS l
;
-- exptrack experiment checkout_quantile_primary, step state setup, as of 2026-11-01T00:00:00.000Z
-- The one table shared by every experiment in the write schema: which state each one holds.
SELECT fingerprint, watermark, as_of, run_id
FROM "analytics_state"."exptrack_state"
WHERE experiment_id = 'checkout_quantile_primary'
