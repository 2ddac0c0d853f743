-- exptrack experiment checkout_redesign, step state forget, as of 2026-11-01T00:00:00.000Z
-- A rebuild where DDL cannot join a transaction (BigQuery, Snowflake) replaces the state tables before
-- BEGIN: the meta row goes first, so a crash part-way leaves no state (the next run rebuilds), never a
-- meta row over half-replaced tables.
DELETE FROM "exptrack_state"."main"."exptrack_state" WHERE experiment_id = 'checkout_redesign'
;
-- exptrack experiment checkout_redesign, step state claim, as of 2026-11-01T00:00:00.000Z
-- Where DDL cannot join a transaction (BigQuery, Snowflake: src/state/refresh-state.ts) the refresh stages
-- and reads before BEGIN; the transaction then opens on this experiment's meta row: the UPDATE takes
-- Snowflake's table lock until COMMIT and makes BigQuery cancel a concurrent transaction on the table,
-- and the SELECT must still show the run id this refresh read at setup.
UPDATE "exptrack_state"."main"."exptrack_state" SET run_id = run_id WHERE experiment_id = 'checkout_redesign'
;
-- exptrack experiment checkout_redesign, step state claim, as of 2026-11-01T00:00:00.000Z
-- Where DDL cannot join a transaction (BigQuery, Snowflake: src/state/refresh-state.ts) the refresh stages
-- and reads before BEGIN; the transaction then opens on this experiment's meta row: the UPDATE takes
-- Snowflake's table lock until COMMIT and makes BigQuery cancel a concurrent transaction on the table,
-- and the SELECT must still show the run id this refresh read at setup.
SELECT run_id FROM "exptrack_state"."main"."exptrack_state" WHERE experiment_id = 'checkout_redesign'
