-- exptrack experiment recommendation_carousel, step exposures, as of 2026-11-01T00:00:00.000Z
-- Units per variant for the sample ratio check; units seen in several variants come back with variant NULL.
-- Dimensions are not needed here, so the per-unit aggregate skips them.
WITH
exposure_rows AS (
  SELECT
    "x"."user_id" AS unit_id,
    CAST("x"."variant" AS VARCHAR) AS variant,
    "x"."exposed_at" AS exposed_at
  FROM "main"."exposures" AS x
  WHERE "x"."experiment_key" = 'recommendation_carousel'
    AND "x"."user_id" IS NOT NULL
    AND "x"."exposed_at" >= '2026-10-04 00:00:00.000'::TIMESTAMP_NTZ
    AND "x"."exposed_at" < '2026-11-01 00:00:00.000'::TIMESTAMP_NTZ
),
excluded_units AS (
  -- audience filter internal_traffic
  SELECT "f"."user_id" AS unit_id
  FROM "main"."exposures" AS f
  WHERE ("f"."is_employee" = TRUE)
    AND "f"."exposed_at" >= '2026-10-04 00:00:00.000'::TIMESTAMP_NTZ
    AND "f"."exposed_at" < '2026-11-01 00:00:00.000'::TIMESTAMP_NTZ
),
included_rows AS (
  SELECT r.*
  FROM exposure_rows AS r
  LEFT JOIN excluded_units AS xu ON xu.unit_id = r.unit_id
  WHERE xu.unit_id IS NULL
),
unit_exposures AS (
  SELECT
    unit_id,
    MIN(exposed_at) AS first_exposed_at,
    -- How many variants the unit saw (0, 1, or 2 meaning two or more): MIN and MAX need no per-unit
    -- distinct set, which COUNT(DISTINCT) would build for every unit.
    CASE WHEN MIN(variant) = MAX(variant) THEN 1 WHEN MIN(variant) IS NULL THEN 0 ELSE 2 END AS variant_count,
    MIN(variant) AS variant
  FROM included_rows AS r
  GROUP BY unit_id
),
exposures AS (
  SELECT *
  FROM unit_exposures
  WHERE variant_count = 1
    AND variant IN ('control', 'carousel')
),
exposure_summary AS (
  SELECT
    CASE WHEN variant_count > 1 THEN NULL ELSE variant END AS variant,
    first_exposed_at
  FROM unit_exposures
)
SELECT
  variant,
  COUNT(*) AS units,
  MIN(first_exposed_at) AS first_exposure_at,
  MAX(first_exposed_at) AS last_exposure_at
FROM exposure_summary
GROUP BY variant
ORDER BY variant
