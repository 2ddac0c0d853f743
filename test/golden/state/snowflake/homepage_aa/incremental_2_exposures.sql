-- exptrack experiment homepage_aa, step exposures (from state), as of 2026-11-01T00:00:00.000Z
-- The exposures step's result from the refreshed per-unit state: the same summary as a full refresh.
WITH
current_units AS (
  SELECT
    d.unit_id, d.first_exposed_at, d.variant_min, d.variant_max, "d"."dim_1", "d"."m_1_y" AS "m_1_y", "d"."m_1_x" AS "m_1_x", "d"."m_2_y" AS "m_2_y", "d"."m_2_x" AS "m_2_x", "d"."m_3_y" AS "m_3_y", "d"."m_3_x" AS "m_3_x"
  FROM "exptrack_delta" AS d
  UNION ALL
  SELECT
    o.unit_id, o.first_exposed_at, o.variant_min, o.variant_max, "o"."dim_1",
    "o"."m_1_y" AS "m_1_y",
    "o"."m_1_x" AS "m_1_x",
    "o"."m_2_y" AS "m_2_y",
    "o"."m_2_x" AS "m_2_x",
    "o"."m_3_y" AS "m_3_y",
    "o"."m_3_x" AS "m_3_x"
  FROM "analytics_state"."exptrack_homepage_aa_units" AS o
  -- An anti-join written as a join: NOT EXISTS lets DuckDB push the readers' filters below it and
  -- plan a delim join over every stored unit, several times slower.
  LEFT JOIN "exptrack_delta" AS t ON t.unit_id = o.unit_id
  WHERE t.unit_id IS NULL),
all_units AS (
  SELECT
    u.unit_id,
    u.first_exposed_at,
    CASE WHEN u.variant_min = u.variant_max THEN 1 WHEN u.variant_min IS NULL THEN 0 ELSE 2 END AS variant_count,
    u.variant_min AS variant,
    "u"."dim_1"
  FROM current_units AS u
),
unit_exposures AS (
  SELECT * FROM all_units
),
exposures AS (
  SELECT *
  FROM unit_exposures
  WHERE variant_count = 1
    AND variant IN ('a', 'b')
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
