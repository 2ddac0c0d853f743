-- exptrack experiment upsell_widget, step shift_bins (from state), as of 2026-11-01T00:00:00.000Z
-- The Hodges-Lehmann shift bins over the per-unit values of the refreshed state: the same units and
-- values as a full refresh, binned by the same SQL (the shift_bin_rows partial).
WITH
current_units AS (
  SELECT
    d.unit_id, d.first_exposed_at, d.variant_min, d.variant_max, "d"."m_1_y", "d"."m_1_x", "d"."m_2_y", "d"."m_2_x"
  FROM "exptrack_delta" AS d),
"audience_1" AS (
  -- audience filter internal_traffic (exclude): units it matched before the cut (stored) and since
  -- (a unit can match on both sides of the cut: DISTINCT keeps it once, as the full refresh's DISTINCT does)
  SELECT DISTINCT m.unit_id
  FROM (
    SELECT unit_id FROM "exptrack_excluded_new" WHERE filter_no = 1
  ) AS m
),
all_units AS (
  SELECT
    u.unit_id,
    u.first_exposed_at,
    CASE WHEN u.variant_min = u.variant_max THEN 1 WHEN u.variant_min IS NULL THEN 0 ELSE 2 END AS variant_count,
    u.variant_min AS variant
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
    AND variant IN ('control', 'widget')
),
"source_1_units" AS (
  SELECT unit_id, "m_1_y", "m_1_x", "m_2_y", "m_2_x"
  FROM current_units
),
unit_values AS (
  SELECT
    e.variant,
    COALESCE("source_1_units"."m_1_y", 0) AS "m_1_y",
    COALESCE("source_1_units"."m_1_x", 0) AS "m_1_x",
    COALESCE("source_1_units"."m_2_y", 0) AS "m_2_y",
    COALESCE("source_1_units"."m_2_x", 0) AS "m_2_x"
  FROM exposures AS e
  LEFT JOIN "source_1_units" ON "source_1_units"."unit_id" = e.unit_id
),
analysed_values AS (
  SELECT * FROM unit_values
)
,
rank_input AS (
  SELECT 'revenue_per_user' AS metric, 'widget' AS treatment, variant, "m_1_y" AS v
  FROM analysed_values
  WHERE variant IN ('control', 'widget')
),
ranked AS (
  SELECT
    metric, treatment, variant, v,
    RANK() OVER (PARTITION BY metric, treatment ORDER BY v) AS low_rank,
    COUNT(*) OVER (PARTITION BY metric, treatment) AS pooled_units
  FROM rank_input
  WHERE v IS NOT NULL
),
binned AS (
  SELECT
    metric, treatment, variant, v,
    FLOOR(CAST((low_rank - 1) * 400 AS DOUBLE PRECISION) / CAST(pooled_units AS DOUBLE PRECISION)) AS bin
  FROM ranked
)
SELECT
  metric, treatment, variant, bin,
  COUNT(*) AS units,
  MIN(v) AS v_min,
  MAX(v) AS v_max
FROM binned
GROUP BY metric, treatment, variant, bin
ORDER BY metric, treatment, variant, bin
