-- exptrack experiment upsell_widget, step metrics (from state), as of 2026-11-01T00:00:00.000Z
-- The metrics step's rows from the unit groups of this refresh (step state groups): the same columns
-- as a full refresh, the groups' sums added up per variant and dimension value.
SELECT
  variant,
  SUM(units) AS units,
  MAX("m_1_y_cap") AS "m_1_y_cap",
  MAX("m_1_x_cap") AS "m_1_x_cap",
  SUM("m_1_y_sum") AS "m_1_y_sum",
  SUM("m_1_y_sum_squares") AS "m_1_y_sum_squares",
  SUM("m_1_x_sum") AS "m_1_x_sum",
  SUM("m_1_x_sum_squares") AS "m_1_x_sum_squares",
  SUM("m_1_yx_sum") AS "m_1_yx_sum",
  SUM("m_2_y_sum") AS "m_2_y_sum",
  SUM("m_2_y_sum_squares") AS "m_2_y_sum_squares",
  SUM("m_2_x_sum") AS "m_2_x_sum",
  SUM("m_2_x_sum_squares") AS "m_2_x_sum_squares",
  SUM("m_2_yx_sum") AS "m_2_yx_sum"
FROM "exptrack_groups"
GROUP BY variant
