-- exptrack experiment plan_checkout, step state setup, as of 2026-09-22T00:00:00.000Z
-- The one table shared by every experiment in the write schema: which state each one holds.
-- The state file attached as exptrack_state always has its main schema.;
CREATE TABLE IF NOT EXISTS "exptrack_state"."main"."exptrack_state" (
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
-- The state file attached as exptrack_state always has its main schema.;
-- No warehouse-side lock here: DuckDB's ATTACH of the state file already holds an exclusive file lock.
SELECT 1 AS locked
;
-- exptrack experiment plan_checkout, step state setup, as of 2026-09-22T00:00:00.000Z
-- The one table shared by every experiment in the write schema: which state each one holds.
-- The state file attached as exptrack_state always has its main schema.;
SELECT fingerprint, watermark, as_of, run_id
FROM "exptrack_state"."main"."exptrack_state"
WHERE experiment_id = 'plan_checkout'
