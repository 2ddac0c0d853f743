-- exptrack experiment upsell_widget, step exposures, as of 2026-11-01T00:00:00.000Z
-- Units per variant for the sample ratio check; units seen in several variants come back with variant NULL.
-- With audience filters, units are also grouped by which filters remove them (removed_by_N = 1).
-- Dimensions are not needed here, so the per-unit aggregate skips them.
WITH
exposure_rows AS (
  SELECT
    "x"."user_id" AS unit_id,
    CAST("x"."variant" AS TEXT) AS variant,
    "x"."exposed_at" AS exposed_at
  FROM "main"."exposures" AS x
  WHERE "x"."experiment_key" = 'upsell_widget'
    AND "x"."user_id" IS NOT NULL
    AND "x"."exposed_at" >= TIMESTAMP '2026-10-04 00:00:00.000'
    AND "x"."exposed_at" < TIMESTAMP '2026-11-01 00:00:00.000'
),
"audience_1" AS (
  -- audience filter internal_traffic (exclude)
  SELECT DISTINCT "f"."user_id" AS unit_id
  FROM "main"."exposures" AS f
  WHERE ("f"."is_employee" = TRUE)
    AND "f"."exposed_at" >= TIMESTAMP '2026-10-04 00:00:00.000'
    AND "f"."exposed_at" < TIMESTAMP '2026-11-01 00:00:00.000'
),
all_units AS (
  SELECT
    unit_id,
    MIN(exposed_at) AS first_exposed_at,
    -- How many variants the unit saw (0, 1, or 2 meaning two or more): MIN and MAX need no per-unit
    -- distinct set, which COUNT(DISTINCT) would build for every unit.
    CASE WHEN MIN(variant) = MAX(variant) THEN 1 WHEN MIN(variant) IS NULL THEN 0 ELSE 2 END AS variant_count,
    MIN(variant) AS variant
  FROM exposure_rows AS r
  GROUP BY unit_id
),
audience_units AS (
  -- Per unit and audience filter: 1 when the filter removes the unit, so the exposures step can count
  -- what each filter removed and how that overlaps with multiple exposure.
  SELECT
    u.*,
    CASE WHEN "a1"."unit_id" IS NULL THEN 0 ELSE 1 END AS "removed_by_1"
  FROM all_units AS u
  LEFT JOIN "audience_1" AS "a1" ON "a1"."unit_id" = u.unit_id
),
unit_exposures AS (
  SELECT *
  FROM audience_units
  WHERE "removed_by_1" = 0
),
exposures AS (
  SELECT *
  FROM unit_exposures
  WHERE variant_count = 1
    AND variant IN ('control', 'widget')
),
exposure_summary AS (
  SELECT
    CASE WHEN variant_count > 1 THEN NULL ELSE variant END AS variant,
    first_exposed_at,
    "removed_by_1"
  FROM audience_units
)
SELECT
  variant,
  "removed_by_1",
  COUNT(*) AS units,
  MIN(first_exposed_at) AS first_exposure_at,
  MAX(first_exposed_at) AS last_exposure_at
FROM exposure_summary
GROUP BY variant, "removed_by_1"
ORDER BY variant, "removed_by_1"
