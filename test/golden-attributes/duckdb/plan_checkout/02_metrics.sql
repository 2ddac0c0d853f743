-- exptrack experiment plan_checkout, step metrics, as of 2026-09-22T00:00:00.000Z
-- Per-unit values inside each metric's window (and, for CUPED, in the window before first exposure),
-- then per-variant sums, sums of squares and cross-products. Only the aggregates leave the warehouse.
-- Values are summed as integers or exact decimals, which add up exactly in any order: a re-run on
-- the same data returns the same bytes.
WITH
"dim_1_attribute" AS (
  -- dimension accounts.plan: a column of the attribute table accounts, joined on the unit;
  -- one row per unit is expected, and with several the smallest value counts, so every unit has one.
  SELECT "ad1"."account_id" AS unit_id, MIN(CAST("ad1"."plan" AS VARCHAR)) AS dimension_value
  FROM "app"."accounts" AS "ad1"
  WHERE "ad1"."account_id" IS NOT NULL
  GROUP BY "ad1"."account_id"
),
exposure_rows AS (
  SELECT
    "x"."account_id" AS unit_id,
    CAST("x"."arm" AS VARCHAR) AS variant,
    "x"."seen_at" AS exposed_at,
    "ad1"."dimension_value" AS "dim_1"
  FROM "app"."experiment_exposures" AS x
  LEFT JOIN "dim_1_attribute" AS "ad1" ON "ad1"."unit_id" = "x"."account_id"
  WHERE "x"."experiment" = 'new_checkout'
    AND "x"."account_id" IS NOT NULL
    AND "x"."seen_at" >= TIMESTAMP '2026-09-01 00:00:00.000'
    AND "x"."seen_at" < TIMESTAMP '2026-09-15 00:00:00.000'
),
"audience_1" AS (
  -- audience filter internal_accounts (exclude): an attribute table, no time window
  SELECT DISTINCT "f"."account_id" AS unit_id
  FROM "app"."accounts" AS f
  WHERE ("f"."is_internal")
),
all_units AS (
  SELECT
    unit_id,
    MIN(exposed_at) AS first_exposed_at,
    -- How many variants the unit saw (0, 1, or 2 meaning two or more): MIN and MAX need no per-unit
    -- distinct set, which COUNT(DISTINCT) would build for every unit.
    CASE WHEN MIN(variant) = MAX(variant) THEN 1 WHEN MIN(variant) IS NULL THEN 0 ELSE 2 END AS variant_count,
    MIN(variant) AS variant,
    arg_min("r"."dim_1", "r"."exposed_at") AS "dim_1"
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
    AND variant IN ('old', 'new')
),
"source_1_units" AS (
  SELECT
    e.unit_id,
    MAX(CASE WHEN "s1"."occurred_at" >= e.first_exposed_at AND "s1"."occurred_at" < ("e"."first_exposed_at" + to_seconds(604800)) AND ("s1"."event_name" = 'purchase') THEN 1 ELSE 0 END) AS "m_1_y",
    MAX(CASE WHEN "s1"."occurred_at" >= ("e"."first_exposed_at" + to_seconds(-1209600)) AND "s1"."occurred_at" < e.first_exposed_at AND ("s1"."event_name" = 'purchase') THEN 1 ELSE 0 END) AS "m_1_x",
    SUM(CASE WHEN "s1"."occurred_at" >= e.first_exposed_at AND "s1"."occurred_at" < ("e"."first_exposed_at" + to_seconds(604800)) AND ("s1"."event_name" = 'purchase') THEN CAST("s1"."revenue" AS DECIMAL(38, 6)) END) AS "m_2_y",
    SUM(CASE WHEN "s1"."occurred_at" >= ("e"."first_exposed_at" + to_seconds(-1209600)) AND "s1"."occurred_at" < e.first_exposed_at AND ("s1"."event_name" = 'purchase') THEN CAST("s1"."revenue" AS DECIMAL(38, 6)) END) AS "m_2_x"
  FROM exposures AS e
  INNER JOIN "app"."events" AS "s1"
    ON "s1"."account_id" = e.unit_id
  WHERE "s1"."occurred_at" >= TIMESTAMP '2026-08-18 00:00:00.000'
    AND "s1"."occurred_at" < TIMESTAMP '2026-09-22 00:00:00.000'
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
unit_values AS (
  SELECT
    e.variant,
    CASE WHEN "e"."dim_1" IS NULL OR "t1"."dimension_value" IS NOT NULL
      THEN "e"."dim_1" ELSE '(other)' END AS "dim_1",
    COALESCE("source_1_units"."m_1_y", 0) AS "m_1_y",
    COALESCE("source_1_units"."m_1_x", 0) AS "m_1_x",
    COALESCE("source_1_units"."m_2_y", 0) AS "m_2_y",
    COALESCE("source_1_units"."m_2_x", 0) AS "m_2_x"
  FROM exposures AS e
  LEFT JOIN "dim_1_top" AS "t1" ON "t1"."dimension_value" = "e"."dim_1"
  LEFT JOIN "source_1_units" ON "source_1_units"."unit_id" = e.unit_id
),
analysed_values AS (
  SELECT * FROM unit_values
)
SELECT
  variant,
  "dim_1",
  GROUPING("dim_1") AS "dim_1_grouping",
  COUNT(*) AS units,
  SUM("m_1_y") AS "m_1_y_sum",
  SUM("m_1_y" * "m_1_y") AS "m_1_y_sum_squares",
  SUM("m_1_x") AS "m_1_x_sum",
  SUM("m_1_x" * "m_1_x") AS "m_1_x_sum_squares",
  SUM("m_1_y" * "m_1_x") AS "m_1_yx_sum",
  SUM("m_2_y") AS "m_2_y_sum",
  SUM("m_2_y" * "m_2_y") AS "m_2_y_sum_squares",
  SUM("m_2_x") AS "m_2_x_sum",
  SUM("m_2_x" * "m_2_x") AS "m_2_x_sum_squares",
  SUM("m_2_y" * "m_2_x") AS "m_2_yx_sum"
FROM analysed_values
GROUP BY GROUPING SETS (
  (variant),
  (variant, "dim_1")
)
