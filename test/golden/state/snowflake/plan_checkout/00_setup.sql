-- exptrack experiment plan_checkout, step state setup, as of 2026-09-22T00:00:00.000Z
-- The one table shared by every experiment in the write schema: which state each one holds.
CREATE SCHEMA IF NOT EXISTS "analytics_state"
;
-- exptrack experiment plan_checkout, step state setup, as of 2026-09-22T00:00:00.000Z
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
-- exptrack experiment plan_checkout, step state setup, as of 2026-09-22T00:00:00.000Z
-- The one table shared by every experiment in the write schema: which state each one holds.
-- No warehouse-side lock here: DuckDB's ATTACH of the state file already holds an exclusive file lock.
SELECT 1 AS locked
;
-- exptrack experiment plan_checkout, step state setup, as of 2026-09-22T00:00:00.000Z
-- The one table shared by every experiment in the write schema: which state each one holds.
SELECT fingerprint, watermark, as_of, run_id
FROM "analytics_state"."exptrack_state"
WHERE experiment_id = 'plan_checkout'
