-- exptrack experiment checkout_quantile_primary, step daily (from state), as of 2026-11-01T00:00:00.000Z
-- The daily step's running totals from the unit groups of this refresh (step state groups): the
-- groups' sums per variant and exposure day, then the same running totals as a full refresh.
WITH
daily_sums AS (
  SELECT
    g.variant,
    g.exposure_day,
    SUM(g.units) AS units,
    SUM(`g`.`m_1_y_sum`) AS `m_1_y_sum`,
    SUM(`g`.`m_1_y_sum_squares`) AS `m_1_y_sum_squares`,
    SUM(`g`.`m_2_y_sum`) AS `m_2_y_sum`,
    SUM(`g`.`m_2_y_sum_squares`) AS `m_2_y_sum_squares`,
    SUM(`g`.`m_3_y_sum`) AS `m_3_y_sum`,
    SUM(`g`.`m_3_y_sum_squares`) AS `m_3_y_sum_squares`,
    SUM(`g`.`m_3_x_sum`) AS `m_3_x_sum`,
    SUM(`g`.`m_3_x_sum_squares`) AS `m_3_x_sum_squares`,
    SUM(`g`.`m_3_yx_sum`) AS `m_3_yx_sum`,
    SUM(`g`.`m_4_y_sum`) AS `m_4_y_sum`,
    SUM(`g`.`m_4_y_sum_squares`) AS `m_4_y_sum_squares`
  FROM `exptrack_groups` AS g
  GROUP BY g.variant, g.exposure_day
)
SELECT
  variant,
  exposure_day,
  units AS day_units,
  SUM(units) OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS units,
  SUM(`m_1_y_sum`) OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS `m_1_y_sum`,
  SUM(`m_1_y_sum_squares`) OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS `m_1_y_sum_squares`,
  SUM(`m_2_y_sum`) OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS `m_2_y_sum`,
  SUM(`m_2_y_sum_squares`) OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS `m_2_y_sum_squares`,
  SUM(`m_3_y_sum`) OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS `m_3_y_sum`,
  SUM(`m_3_y_sum_squares`) OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS `m_3_y_sum_squares`,
  SUM(`m_3_x_sum`) OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS `m_3_x_sum`,
  SUM(`m_3_x_sum_squares`) OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS `m_3_x_sum_squares`,
  SUM(`m_3_yx_sum`) OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS `m_3_yx_sum`,
  SUM(`m_4_y_sum`) OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS `m_4_y_sum`,
  SUM(`m_4_y_sum_squares`) OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS `m_4_y_sum_squares`
FROM daily_sums
