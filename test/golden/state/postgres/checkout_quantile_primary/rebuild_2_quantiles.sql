-- exptrack experiment checkout_quantile_primary, step quantiles (from state), as of 2026-11-01T00:00:00.000Z
-- Unit-level quantile metrics from the refreshed per-unit state: a quantile metric's per-unit value is a
-- mean metric's per-unit sum, which the state keeps like one, so the same units ordered the same way give
-- the same order statistics as a full refresh. (Event-level quantiles need every event: that step runs whole.)
WITH
current_units AS (
  SELECT
    d.unit_id, d.first_exposed_at, d.variant_min, d.variant_max, "d"."m_1_y", "d"."m_2_y", "d"."m_3_y", "d"."m_3_x", "d"."m_4_y"
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
    AND variant IN ('control', 'one_page')
),
"source_1_units" AS (
  SELECT unit_id, "m_1_y", "m_2_y", "m_3_y", "m_3_x", "m_4_y"
  FROM current_units
),
unit_values AS (
  SELECT
    e.variant,
    COALESCE("source_1_units"."m_1_y", 0) AS "m_1_y",
    COALESCE("source_1_units"."m_2_y", 0) AS "m_2_y",
    COALESCE("source_1_units"."m_3_y", 0) AS "m_3_y",
    COALESCE("source_1_units"."m_3_x", 0) AS "m_3_x",
    COALESCE("source_1_units"."m_4_y", 0) AS "m_4_y"
  FROM exposures AS e
  LEFT JOIN "source_1_units" ON "source_1_units"."unit_id" = e.unit_id
),
analysed_values AS (
  SELECT * FROM unit_values
)
,
quantile_input AS (
  SELECT 'revenue_p90' AS metric, CAST(0.9 AS DOUBLE PRECISION) AS level, variant, "m_1_y" AS v
  FROM analysed_values
  WHERE "m_1_y" IS NOT NULL
  UNION ALL
  SELECT 'order_value_p90' AS metric, CAST(0.9 AS DOUBLE PRECISION) AS level, variant, "m_2_y" AS v
  FROM analysed_values
  WHERE "m_2_y" IS NOT NULL
    AND "m_2_y" <> 0
  UNION ALL
  SELECT 'order_value_p50' AS metric, CAST(0.5 AS DOUBLE PRECISION) AS level, variant, "m_4_y" AS v
  FROM analysed_values
  WHERE "m_4_y" IS NOT NULL
    AND "m_4_y" <> 0
),
ordered AS (
  SELECT
    metric, level, variant, v,
    ROW_NUMBER() OVER (PARTITION BY metric, variant ORDER BY v) AS position,
    COUNT(*) OVER (PARTITION BY metric, variant) AS units
  FROM quantile_input
),
rank_bounds AS (
  -- In doubles, in the same order of operations as src/stats/quantile-estimate.ts, so both find the same ranks.
  SELECT
    metric, variant, v, position, units,
    CEIL(n * level) AS raw_estimate,
    FLOOR(n * level - 1.9599639845400538 * SQRT(n * level * (1 - level))) AS raw_lower,
    CEIL(n * level + 1.9599639845400538 * SQRT(n * level * (1 - level))) AS raw_upper
  FROM (SELECT o.*, CAST("o"."units" AS DOUBLE PRECISION) AS n FROM ordered AS o) AS d
),
clipped AS (
  SELECT
    metric, variant, v, position, units,
    LEAST(units, GREATEST(1, CAST("b"."raw_estimate" AS BIGINT))) AS estimate_rank,
    LEAST(units, GREATEST(1, CAST("b"."raw_lower" AS BIGINT))) AS lower_rank,
    LEAST(units, GREATEST(1, CAST("b"."raw_upper" AS BIGINT))) AS upper_rank
  FROM rank_bounds AS b
),
unit_quantiles AS (
  SELECT
    metric, variant,
    MAX(units) AS units,
    MAX(units) AS events,
    MAX(estimate_rank) AS estimate_rank,
    MAX(lower_rank) AS lower_rank,
    MAX(upper_rank) AS upper_rank,
    MAX(CASE WHEN position = estimate_rank THEN v END) AS estimate,
    MAX(CASE WHEN position = lower_rank THEN v END) AS lower_value,
    MAX(CASE WHEN position = upper_rank THEN v END) AS upper_value,
    0 AS below_sum, 0 AS below_sum_squares, 0 AS event_sum, 0 AS event_sum_squares, 0 AS below_event_sum
  FROM clipped
  GROUP BY metric, variant
)SELECT * FROM unit_quantiles
ORDER BY metric, variant
