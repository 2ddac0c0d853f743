-- exptrack experiment mobile_onboarding, step metrics, as of 2026-11-01T00:00:00.000Z
-- Per-unit values inside each metric's window, then per-variant sufficient statistics.
-- Only the aggregates leave the warehouse. Values are summed as integers or DECIMAL(38, 6), which
-- add up exactly in any order: a re-run on the same data returns the same bytes.
WITH
exposure_rows AS (
  SELECT
    "x"."user_id" AS unit_id,
    CAST("x"."variant" AS VARCHAR) AS variant,
    "x"."exposed_at" AS exposed_at
  FROM "main"."exposures" AS x
  WHERE "x"."experiment_key" = 'mobile_onboarding'
    AND "x"."user_id" IS NOT NULL
    AND "x"."exposed_at" >= TIMESTAMP '2026-10-04 00:00:00.000'
    AND "x"."exposed_at" < TIMESTAMP '2026-11-01 00:00:00.000'
),
included_rows AS (
  SELECT * FROM exposure_rows
),
unit_exposures AS (
  SELECT
    unit_id,
    MIN(exposed_at) AS first_exposed_at,
    COUNT(DISTINCT variant) AS variant_count,
    MIN(variant) AS variant
  FROM included_rows AS r
  GROUP BY unit_id
),
exposures AS (
  SELECT *
  FROM unit_exposures
  WHERE variant_count = 1
    AND variant IN ('five_screens', 'three_screens')
),
"source_1_units" AS (
  SELECT
    e.unit_id,
    MAX(CASE WHEN "s1"."event_at" >= e.first_exposed_at AND "s1"."event_at" < ("e"."first_exposed_at" + to_seconds(259200)) AND ("s1"."event_name" = 'onboarding_completed') THEN 1 ELSE 0 END) AS "m_1"
  FROM exposures AS e
  INNER JOIN "main"."app_events" AS "s1"
    ON "s1"."user_id" = e.unit_id
  WHERE "s1"."event_at" >= TIMESTAMP '2026-10-04 00:00:00.000'
    AND "s1"."event_at" < TIMESTAMP '2026-11-01 00:00:00.000'
  GROUP BY e.unit_id
),
unit_values AS (
  SELECT
    e.variant,
    COALESCE("source_1_units"."m_1", 0) AS "m_1"
  FROM exposures AS e
  LEFT JOIN "source_1_units" ON "source_1_units"."unit_id" = e.unit_id
)
SELECT
  variant,
  COUNT(*) AS units,
  SUM("m_1") AS "m_1_sum",
  SUM("m_1" * "m_1") AS "m_1_sum_squares"
FROM unit_values
GROUP BY variant
