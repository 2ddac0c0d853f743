-- exptrack experiment checkout_quantile, step exposures (from state), as of 2026-11-01T00:00:00.000Z
-- The exposures step's result from the refreshed per-unit state: the same summary as a full refresh.
WITH
current_units AS (
  SELECT
    d.unit_id, d.first_exposed_at, d.variant_min, d.variant_max, "d"."dim_1", "d"."dim_2", "d"."m_1_y", "d"."m_1_x", "d"."m_2_y", "d"."m_3_y", "d"."m_4_y", "d"."m_5_y", "d"."m_6_y", "d"."m_6_x", "d"."m_7_y", "d"."m_7_x"
  FROM "exptrack_delta" AS d
  UNION ALL
  SELECT
    o.unit_id, o.first_exposed_at, o.variant_min, o.variant_max, "o"."dim_1", "o"."dim_2",
    "o"."m_1_y" AS "m_1_y",
    "o"."m_1_x" AS "m_1_x",
    "o"."m_2_y" AS "m_2_y",
    "o"."m_3_y" AS "m_3_y",
    "o"."m_4_y" AS "m_4_y",
    "o"."m_5_y" AS "m_5_y",
    "o"."m_6_y" AS "m_6_y",
    "o"."m_6_x" AS "m_6_x",
    "o"."m_7_y" AS "m_7_y",
    "o"."m_7_x" AS "m_7_x"
  FROM "analytics_state"."exptrack_checkout_quantile_units" AS o
  WHERE NOT EXISTS (SELECT 1 FROM "exptrack_delta" AS t WHERE t.unit_id = o.unit_id)),
"audience_1" AS (
  -- audience filter internal_traffic (exclude): units it matched before the cut (stored) and since
  -- (a unit can match on both sides of the cut: DISTINCT keeps it once, as the full refresh's DISTINCT does)
  SELECT DISTINCT m.unit_id
  FROM (
    SELECT unit_id FROM "exptrack_excluded_new" WHERE filter_no = 1
    UNION ALL
    SELECT unit_id FROM "analytics_state"."exptrack_checkout_quantile_excluded" WHERE filter_no = 1
  ) AS m
),
all_units AS (
  SELECT
    u.unit_id,
    u.first_exposed_at,
    CASE WHEN u.variant_min = u.variant_max THEN 1 WHEN u.variant_min IS NULL THEN 0 ELSE 2 END AS variant_count,
    u.variant_min AS variant,
    "u"."dim_1",
    "u"."dim_2"
  FROM current_units AS u
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
    AND variant IN ('control', 'one_page')
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
