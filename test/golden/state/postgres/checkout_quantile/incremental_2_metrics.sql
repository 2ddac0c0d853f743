-- exptrack experiment checkout_quantile, step metrics (from state), as of 2026-11-01T00:00:00.000Z
-- The metrics step's rows from the unit groups of this refresh (step state groups): the same columns
-- as a full refresh, the groups' sums added up per variant and dimension value.
SELECT
  variant,
  "dim_1",
  GROUPING("dim_1") AS "dim_1_grouping",
  "dim_2",
  GROUPING("dim_2") AS "dim_2_grouping",
  SUM(units) AS units,
  MAX("m_6_y_cap") AS "m_6_y_cap",
  MAX("m_6_x_cap") AS "m_6_x_cap",
  SUM("m_1_y_sum") AS "m_1_y_sum",
  SUM("m_1_y_sum_squares") AS "m_1_y_sum_squares",
  SUM("m_1_x_sum") AS "m_1_x_sum",
  SUM("m_1_x_sum_squares") AS "m_1_x_sum_squares",
  SUM("m_1_yx_sum") AS "m_1_yx_sum",
  SUM("m_2_y_sum") AS "m_2_y_sum",
  SUM("m_2_y_sum_squares") AS "m_2_y_sum_squares",
  SUM("m_3_y_sum") AS "m_3_y_sum",
  SUM("m_3_y_sum_squares") AS "m_3_y_sum_squares",
  SUM("m_4_y_sum") AS "m_4_y_sum",
  SUM("m_4_y_sum_squares") AS "m_4_y_sum_squares",
  SUM("m_5_y_sum") AS "m_5_y_sum",
  SUM("m_5_y_sum_squares") AS "m_5_y_sum_squares",
  SUM("m_6_y_sum") AS "m_6_y_sum",
  SUM("m_6_y_sum_squares") AS "m_6_y_sum_squares",
  SUM("m_6_x_sum") AS "m_6_x_sum",
  SUM("m_6_x_sum_squares") AS "m_6_x_sum_squares",
  SUM("m_6_yx_sum") AS "m_6_yx_sum",
  SUM("m_7_y_sum") AS "m_7_y_sum",
  SUM("m_7_y_sum_squares") AS "m_7_y_sum_squares",
  SUM("m_7_x_sum") AS "m_7_x_sum",
  SUM("m_7_x_sum_squares") AS "m_7_x_sum_squares",
  SUM("m_7_yx_sum") AS "m_7_yx_sum"
FROM "exptrack_groups"
GROUP BY GROUPING SETS (
  (variant),
  (variant, "dim_1"),
  (variant, "dim_2")
)
