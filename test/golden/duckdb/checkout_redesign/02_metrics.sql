-- exptrack experiment checkout_redesign, step metrics, as of 2026-11-01T00:00:00.000Z
-- Per-unit values inside each metric's window (and, for CUPED, in the window before first exposure),
-- then per-variant sums, sums of squares and cross-products. Only the aggregates leave the warehouse.
-- Values are summed as integers or exact decimals, which add up exactly in any order: a re-run on
-- the same data returns the same bytes.
WITH
exposure_rows AS (
  SELECT
    "x"."user_id" AS unit_id,
    CAST("x"."variant" AS VARCHAR) AS variant,
    "x"."exposed_at" AS exposed_at,
    CAST("x"."country" AS VARCHAR) AS "dim_1",
    CAST("x"."platform" AS VARCHAR) AS "dim_2"
  FROM "main"."exposures" AS x
  WHERE "x"."experiment_key" = 'checkout_redesign'
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
    MIN(variant) AS variant,
    arg_min("r"."dim_1", "r"."exposed_at") AS "dim_1",
    arg_min("r"."dim_2", "r"."exposed_at") AS "dim_2"
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
    AND variant IN ('control', 'one_page')
),
"source_1_units" AS (
  SELECT
    e.unit_id,
    MAX(CASE WHEN "s1"."event_at" >= e.first_exposed_at AND "s1"."event_at" < ("e"."first_exposed_at" + to_seconds(604800)) AND ("s1"."event_name" = 'order_completed') THEN 1 ELSE 0 END) AS "m_1_y",
    MAX(CASE WHEN "s1"."event_at" >= ("e"."first_exposed_at" + to_seconds(-1209600)) AND "s1"."event_at" < e.first_exposed_at AND ("s1"."event_name" = 'order_completed') THEN 1 ELSE 0 END) AS "m_1_x",
    SUM(CASE WHEN "s1"."event_at" >= e.first_exposed_at AND "s1"."event_at" < ("e"."first_exposed_at" + to_seconds(604800)) AND (("s1"."event_name" = 'order_completed') AND ("s1"."amount" > 0)) THEN CAST("s1"."amount" AS DECIMAL(38, 6)) END) AS "m_2_y",
    SUM(CASE WHEN "s1"."event_at" >= ("e"."first_exposed_at" + to_seconds(-1209600)) AND "s1"."event_at" < e.first_exposed_at AND (("s1"."event_name" = 'order_completed') AND ("s1"."amount" > 0)) THEN CAST("s1"."amount" AS DECIMAL(38, 6)) END) AS "m_2_x",
    SUM(CASE WHEN "s1"."event_at" >= e.first_exposed_at AND "s1"."event_at" < ("e"."first_exposed_at" + to_seconds(604800)) AND (("s1"."event_name" = 'order_completed') AND ("s1"."amount" > 0)) THEN CAST("s1"."amount" AS DECIMAL(38, 6)) END) AS "m_3_y",
    SUM(CASE WHEN "s1"."event_at" >= e.first_exposed_at AND "s1"."event_at" < ("e"."first_exposed_at" + to_seconds(604800)) AND ("s1"."event_name" = 'order_completed') THEN 1 ELSE 0 END) AS "m_3_d",
    SUM(CASE WHEN "s1"."event_at" >= ("e"."first_exposed_at" + to_seconds(-1209600)) AND "s1"."event_at" < e.first_exposed_at AND (("s1"."event_name" = 'order_completed') AND ("s1"."amount" > 0)) THEN CAST("s1"."amount" AS DECIMAL(38, 6)) END) AS "m_3_x",
    SUM(CASE WHEN "s1"."event_at" >= ("e"."first_exposed_at" + to_seconds(-1209600)) AND "s1"."event_at" < e.first_exposed_at AND ("s1"."event_name" = 'order_completed') THEN 1 ELSE 0 END) AS "m_3_e",
    SUM(CASE WHEN "s1"."event_at" >= e.first_exposed_at AND ("s1"."event_name" = 'page_view') THEN 1 ELSE 0 END) AS "m_4_y",
    SUM(CASE WHEN "s1"."event_at" >= ("e"."first_exposed_at" + to_seconds(-1209600)) AND "s1"."event_at" < e.first_exposed_at AND ("s1"."event_name" = 'page_view') THEN 1 ELSE 0 END) AS "m_4_x",
    SUM(CASE WHEN "s1"."event_at" >= e.first_exposed_at AND ("s1"."event_name" = 'checkout_error') THEN 1 ELSE 0 END) AS "m_5_y",
    SUM(CASE WHEN "s1"."event_at" >= ("e"."first_exposed_at" + to_seconds(-1209600)) AND "s1"."event_at" < e.first_exposed_at AND ("s1"."event_name" = 'checkout_error') THEN 1 ELSE 0 END) AS "m_5_x"
  FROM exposures AS e
  INNER JOIN "main"."web_events" AS "s1"
    ON "s1"."user_id" = e.unit_id
  WHERE "s1"."event_at" >= TIMESTAMP '2026-09-20 00:00:00.000'
    AND "s1"."event_at" < TIMESTAMP '2026-11-01 00:00:00.000'
  GROUP BY e.unit_id
),
"dim_1_top" AS (
  -- The 10 values of this dimension with most units; the rest become one group.
  SELECT "dim_1" AS dimension_value
  FROM exposures
  WHERE "dim_1" IS NOT NULL
  GROUP BY "dim_1"
  ORDER BY COUNT(*) DESC, "dim_1"
  LIMIT 10
),
"dim_2_top" AS (
  -- The 10 values of this dimension with most units; the rest become one group.
  SELECT "dim_2" AS dimension_value
  FROM exposures
  WHERE "dim_2" IS NOT NULL
  GROUP BY "dim_2"
  ORDER BY COUNT(*) DESC, "dim_2"
  LIMIT 10
),
unit_values AS (
  SELECT
    e.variant,
    CASE WHEN "e"."dim_1" IS NULL OR "t1"."dimension_value" IS NOT NULL
      THEN "e"."dim_1" ELSE '(other)' END AS "dim_1",
    CASE WHEN "e"."dim_2" IS NULL OR "t2"."dimension_value" IS NOT NULL
      THEN "e"."dim_2" ELSE '(other)' END AS "dim_2",
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
  LEFT JOIN "dim_1_top" AS "t1" ON "t1"."dimension_value" = "e"."dim_1"
  LEFT JOIN "dim_2_top" AS "t2" ON "t2"."dimension_value" = "e"."dim_2"
  LEFT JOIN "source_1_units" ON "source_1_units"."unit_id" = e.unit_id
),
caps_raw AS (
  -- Winsorization: each capped column's cap, pooled over all arms.
  SELECT
    (
      SELECT quantile_cont(CAST("u"."m_2_y" AS DOUBLE PRECISION), 0.99)
      FROM unit_values AS u
      -- One row: a no-op after an aggregate; needed where the percentile is a window function (BigQuery).
      LIMIT 1
    ) AS "m_2_y_cap",
    (
      SELECT quantile_cont(CAST("u"."m_2_x" AS DOUBLE PRECISION), 0.99)
      FROM unit_values AS u
      -- One row: a no-op after an aggregate; needed where the percentile is a window function (BigQuery).
      LIMIT 1
    ) AS "m_2_x_cap",
    (
      SELECT quantile_cont(CAST("u"."m_3_y" AS DOUBLE PRECISION), 0.99)
      FROM unit_values AS u
      -- One row: a no-op after an aggregate; needed where the percentile is a window function (BigQuery).
      LIMIT 1
    ) AS "m_3_y_cap",
    (
      SELECT quantile_cont(CAST("u"."m_3_x" AS DOUBLE PRECISION), 0.99)
      FROM unit_values AS u
      -- One row: a no-op after an aggregate; needed where the percentile is a window function (BigQuery).
      LIMIT 1
    ) AS "m_3_x_cap"
),
caps AS (
  -- Caps as exact decimals, so every warehouse caps at the same value and sums stay exact.
  SELECT
    CAST("r"."m_2_y_cap" AS DECIMAL(38, 6)) AS "m_2_y_cap",
    CAST("r"."m_2_x_cap" AS DECIMAL(38, 6)) AS "m_2_x_cap",
    CAST("r"."m_3_y_cap" AS DECIMAL(38, 6)) AS "m_3_y_cap",
    CAST("r"."m_3_x_cap" AS DECIMAL(38, 6)) AS "m_3_x_cap"
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
SELECT
  variant,
  "dim_1",
  GROUPING("dim_1") AS "dim_1_grouping",
  "dim_2",
  GROUPING("dim_2") AS "dim_2_grouping",
  COUNT(*) AS units,
  MAX("m_2_y_cap") AS "m_2_y_cap",
  MAX("m_2_x_cap") AS "m_2_x_cap",
  MAX("m_3_y_cap") AS "m_3_y_cap",
  MAX("m_3_x_cap") AS "m_3_x_cap",
  SUM("m_1_y") AS "m_1_y_sum",
  SUM("m_1_y" * "m_1_y") AS "m_1_y_sum_squares",
  SUM("m_1_x") AS "m_1_x_sum",
  SUM("m_1_x" * "m_1_x") AS "m_1_x_sum_squares",
  SUM("m_1_y" * "m_1_x") AS "m_1_yx_sum",
  SUM("m_2_y_capped") AS "m_2_y_sum",
  SUM("m_2_y_capped" * "m_2_y_capped") AS "m_2_y_sum_squares",
  SUM("m_2_x_capped") AS "m_2_x_sum",
  SUM("m_2_x_capped" * "m_2_x_capped") AS "m_2_x_sum_squares",
  SUM("m_2_y_capped" * "m_2_x_capped") AS "m_2_yx_sum",
  SUM("m_3_y_capped") AS "m_3_y_sum",
  SUM("m_3_y_capped" * "m_3_y_capped") AS "m_3_y_sum_squares",
  SUM("m_3_d") AS "m_3_d_sum",
  SUM("m_3_d" * "m_3_d") AS "m_3_d_sum_squares",
  SUM("m_3_x_capped") AS "m_3_x_sum",
  SUM("m_3_x_capped" * "m_3_x_capped") AS "m_3_x_sum_squares",
  SUM("m_3_e") AS "m_3_e_sum",
  SUM("m_3_e" * "m_3_e") AS "m_3_e_sum_squares",
  SUM("m_3_y_capped" * "m_3_d") AS "m_3_yd_sum",
  SUM("m_3_y_capped" * "m_3_x_capped") AS "m_3_yx_sum",
  SUM("m_3_y_capped" * "m_3_e") AS "m_3_ye_sum",
  SUM("m_3_d" * "m_3_x_capped") AS "m_3_dx_sum",
  SUM("m_3_d" * "m_3_e") AS "m_3_de_sum",
  SUM("m_3_x_capped" * "m_3_e") AS "m_3_xe_sum",
  SUM("m_4_y") AS "m_4_y_sum",
  SUM("m_4_y" * "m_4_y") AS "m_4_y_sum_squares",
  SUM("m_4_x") AS "m_4_x_sum",
  SUM("m_4_x" * "m_4_x") AS "m_4_x_sum_squares",
  SUM("m_4_y" * "m_4_x") AS "m_4_yx_sum",
  SUM("m_5_y") AS "m_5_y_sum",
  SUM("m_5_y" * "m_5_y") AS "m_5_y_sum_squares",
  SUM("m_5_x") AS "m_5_x_sum",
  SUM("m_5_x" * "m_5_x") AS "m_5_x_sum_squares",
  SUM("m_5_y" * "m_5_x") AS "m_5_yx_sum"
FROM analysed_values
GROUP BY GROUPING SETS (
  (variant),
  (variant, "dim_1"),
  (variant, "dim_2")
)
