-- exptrack experiment checkout_redesign, step daily (from state), as of 2026-11-01T00:00:00.000Z
-- The daily step's aggregates from the refreshed per-unit state: the per-unit values were built by
-- the metrics' own partial (step state stage); capping, dimensions and sums are the full refresh's.
WITH
current_units AS (
  SELECT
    d.unit_id, d.first_exposed_at, d.variant_min, d.variant_max, "d"."m_1_y", "d"."m_1_x", "d"."m_2_y", "d"."m_2_x", "d"."m_3_y", "d"."m_3_d", "d"."m_3_x", "d"."m_3_e", "d"."m_4_y", "d"."m_4_x", "d"."m_5_y", "d"."m_5_x"
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
  SELECT unit_id, "m_1_y", "m_1_x", "m_2_y", "m_2_x", "m_3_y", "m_3_d", "m_3_x", "m_3_e", "m_4_y", "m_4_x", "m_5_y", "m_5_x"
  FROM current_units
),
unit_values AS (
  SELECT
    e.variant,
    e.first_exposed_at,
    COALESCE("source_1_units"."m_1_y", 0) AS "m_1_y",
    COALESCE("source_1_units"."m_1_x", 0) AS "m_1_x",
    COALESCE("source_1_units"."m_2_y", 0) AS "m_2_y",
    COALESCE("source_1_units"."m_2_x", 0) AS "m_2_x",
    COALESCE("source_1_units"."m_3_y", 0) AS "m_3_y",
    COALESCE("source_1_units"."m_3_d", 0) AS "m_3_d",
    COALESCE("source_1_units"."m_3_x", 0) AS "m_3_x",
    COALESCE("source_1_units"."m_3_e", 0) AS "m_3_e",
    COALESCE("source_1_units"."m_4_y", 0) AS "m_4_y",
    COALESCE("source_1_units"."m_4_x", 0) AS "m_4_x",
    COALESCE("source_1_units"."m_5_y", 0) AS "m_5_y",
    COALESCE("source_1_units"."m_5_x", 0) AS "m_5_x"
  FROM exposures AS e
  LEFT JOIN "source_1_units" ON "source_1_units"."unit_id" = e.unit_id
),
caps_raw AS (
  -- Winsorization: each capped column's cap, pooled over all arms.
  SELECT
    (
      SELECT PERCENTILE_CONT(0.99) WITHIN GROUP (ORDER BY CAST("u"."m_2_y" AS DOUBLE PRECISION))
      FROM unit_values AS u
      -- One row: a no-op after an aggregate; needed where the percentile is a window function (BigQuery).
      LIMIT 1
    ) AS "m_2_y_cap",
    (
      SELECT PERCENTILE_CONT(0.99) WITHIN GROUP (ORDER BY CAST("u"."m_2_x" AS DOUBLE PRECISION))
      FROM unit_values AS u
      -- One row: a no-op after an aggregate; needed where the percentile is a window function (BigQuery).
      LIMIT 1
    ) AS "m_2_x_cap",
    (
      SELECT PERCENTILE_CONT(0.99) WITHIN GROUP (ORDER BY CAST("u"."m_3_y" AS DOUBLE PRECISION))
      FROM unit_values AS u
      -- One row: a no-op after an aggregate; needed where the percentile is a window function (BigQuery).
      LIMIT 1
    ) AS "m_3_y_cap",
    (
      SELECT PERCENTILE_CONT(0.99) WITHIN GROUP (ORDER BY CAST("u"."m_3_x" AS DOUBLE PRECISION))
      FROM unit_values AS u
      -- One row: a no-op after an aggregate; needed where the percentile is a window function (BigQuery).
      LIMIT 1
    ) AS "m_3_x_cap"
),
caps AS (
  -- Caps as exact decimals, so every warehouse caps at the same value and sums stay exact.
  SELECT
    CAST("r"."m_2_y_cap" AS NUMERIC(38, 6)) AS "m_2_y_cap",
    CAST("r"."m_2_x_cap" AS NUMERIC(38, 6)) AS "m_2_x_cap",
    CAST("r"."m_3_y_cap" AS NUMERIC(38, 6)) AS "m_3_y_cap",
    CAST("r"."m_3_x_cap" AS NUMERIC(38, 6)) AS "m_3_x_cap"
  FROM caps_raw AS r
),
analysed_values AS (
  SELECT
    u.*,
    CASE WHEN "c"."m_2_y_cap" IS NOT NULL AND "u"."m_2_y" > "c"."m_2_y_cap"
      THEN "c"."m_2_y_cap" ELSE "u"."m_2_y" END AS "m_2_y_capped",
    "c"."m_2_y_cap" AS "m_2_y_cap",
    CASE WHEN "c"."m_2_x_cap" IS NOT NULL AND "u"."m_2_x" > "c"."m_2_x_cap"
      THEN "c"."m_2_x_cap" ELSE "u"."m_2_x" END AS "m_2_x_capped",
    "c"."m_2_x_cap" AS "m_2_x_cap",
    CASE WHEN "c"."m_3_y_cap" IS NOT NULL AND "u"."m_3_y" > "c"."m_3_y_cap"
      THEN "c"."m_3_y_cap" ELSE "u"."m_3_y" END AS "m_3_y_capped",
    "c"."m_3_y_cap" AS "m_3_y_cap",
    CASE WHEN "c"."m_3_x_cap" IS NOT NULL AND "u"."m_3_x" > "c"."m_3_x_cap"
      THEN "c"."m_3_x_cap" ELSE "u"."m_3_x" END AS "m_3_x_capped",
    "c"."m_3_x_cap" AS "m_3_x_cap"
  FROM unit_values AS u
  CROSS JOIN caps AS c
)
,
daily_sums AS (
  -- The daily step: the same per-unit values, summed per variant and UTC day of first exposure.
  SELECT
    a.variant,
    CAST("a"."first_exposed_at" AS DATE) AS exposure_day,
    COUNT(*) AS units,
    SUM("a"."m_1_y") AS "m_1_y_sum",
    SUM("a"."m_1_y" * "a"."m_1_y") AS "m_1_y_sum_squares",
    SUM("a"."m_1_x") AS "m_1_x_sum",
    SUM("a"."m_1_x" * "a"."m_1_x") AS "m_1_x_sum_squares",
    SUM("a"."m_1_y" * "a"."m_1_x") AS "m_1_yx_sum",
    SUM("a"."m_2_y_capped") AS "m_2_y_sum",
    SUM("a"."m_2_y_capped" * "a"."m_2_y_capped") AS "m_2_y_sum_squares",
    SUM("a"."m_2_x_capped") AS "m_2_x_sum",
    SUM("a"."m_2_x_capped" * "a"."m_2_x_capped") AS "m_2_x_sum_squares",
    SUM("a"."m_2_y_capped" * "a"."m_2_x_capped") AS "m_2_yx_sum",
    SUM("a"."m_3_y_capped") AS "m_3_y_sum",
    SUM("a"."m_3_y_capped" * "a"."m_3_y_capped") AS "m_3_y_sum_squares",
    SUM("a"."m_3_d") AS "m_3_d_sum",
    SUM("a"."m_3_d" * "a"."m_3_d") AS "m_3_d_sum_squares",
    SUM("a"."m_3_x_capped") AS "m_3_x_sum",
    SUM("a"."m_3_x_capped" * "a"."m_3_x_capped") AS "m_3_x_sum_squares",
    SUM("a"."m_3_e") AS "m_3_e_sum",
    SUM("a"."m_3_e" * "a"."m_3_e") AS "m_3_e_sum_squares",
    SUM("a"."m_3_y_capped" * "a"."m_3_d") AS "m_3_yd_sum",
    SUM("a"."m_3_y_capped" * "a"."m_3_x_capped") AS "m_3_yx_sum",
    SUM("a"."m_3_y_capped" * "a"."m_3_e") AS "m_3_ye_sum",
    SUM("a"."m_3_d" * "a"."m_3_x_capped") AS "m_3_dx_sum",
    SUM("a"."m_3_d" * "a"."m_3_e") AS "m_3_de_sum",
    SUM("a"."m_3_x_capped" * "a"."m_3_e") AS "m_3_xe_sum",
    SUM("a"."m_4_y") AS "m_4_y_sum",
    SUM("a"."m_4_y" * "a"."m_4_y") AS "m_4_y_sum_squares",
    SUM("a"."m_4_x") AS "m_4_x_sum",
    SUM("a"."m_4_x" * "a"."m_4_x") AS "m_4_x_sum_squares",
    SUM("a"."m_4_y" * "a"."m_4_x") AS "m_4_yx_sum",
    SUM("a"."m_5_y") AS "m_5_y_sum",
    SUM("a"."m_5_y" * "a"."m_5_y") AS "m_5_y_sum_squares",
    SUM("a"."m_5_x") AS "m_5_x_sum",
    SUM("a"."m_5_x" * "a"."m_5_x") AS "m_5_x_sum_squares",
    SUM("a"."m_5_y" * "a"."m_5_x") AS "m_5_yx_sum"
  FROM analysed_values AS a
  GROUP BY a.variant, CAST("a"."first_exposed_at" AS DATE)
)
-- Running totals per variant: each row holds every unit first exposed up to the end of its day.
SELECT
  variant,
  exposure_day,
  units AS day_units,
  SUM(units) OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS units,
  SUM("m_1_y_sum") OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "m_1_y_sum",
  SUM("m_1_y_sum_squares") OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "m_1_y_sum_squares",
  SUM("m_1_x_sum") OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "m_1_x_sum",
  SUM("m_1_x_sum_squares") OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "m_1_x_sum_squares",
  SUM("m_1_yx_sum") OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "m_1_yx_sum",
  SUM("m_2_y_sum") OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "m_2_y_sum",
  SUM("m_2_y_sum_squares") OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "m_2_y_sum_squares",
  SUM("m_2_x_sum") OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "m_2_x_sum",
  SUM("m_2_x_sum_squares") OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "m_2_x_sum_squares",
  SUM("m_2_yx_sum") OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "m_2_yx_sum",
  SUM("m_3_y_sum") OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "m_3_y_sum",
  SUM("m_3_y_sum_squares") OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "m_3_y_sum_squares",
  SUM("m_3_d_sum") OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "m_3_d_sum",
  SUM("m_3_d_sum_squares") OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "m_3_d_sum_squares",
  SUM("m_3_x_sum") OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "m_3_x_sum",
  SUM("m_3_x_sum_squares") OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "m_3_x_sum_squares",
  SUM("m_3_e_sum") OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "m_3_e_sum",
  SUM("m_3_e_sum_squares") OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "m_3_e_sum_squares",
  SUM("m_3_yd_sum") OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "m_3_yd_sum",
  SUM("m_3_yx_sum") OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "m_3_yx_sum",
  SUM("m_3_ye_sum") OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "m_3_ye_sum",
  SUM("m_3_dx_sum") OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "m_3_dx_sum",
  SUM("m_3_de_sum") OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "m_3_de_sum",
  SUM("m_3_xe_sum") OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "m_3_xe_sum",
  SUM("m_4_y_sum") OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "m_4_y_sum",
  SUM("m_4_y_sum_squares") OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "m_4_y_sum_squares",
  SUM("m_4_x_sum") OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "m_4_x_sum",
  SUM("m_4_x_sum_squares") OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "m_4_x_sum_squares",
  SUM("m_4_yx_sum") OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "m_4_yx_sum",
  SUM("m_5_y_sum") OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "m_5_y_sum",
  SUM("m_5_y_sum_squares") OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "m_5_y_sum_squares",
  SUM("m_5_x_sum") OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "m_5_x_sum",
  SUM("m_5_x_sum_squares") OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "m_5_x_sum_squares",
  SUM("m_5_yx_sum") OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "m_5_yx_sum"
FROM daily_sums
