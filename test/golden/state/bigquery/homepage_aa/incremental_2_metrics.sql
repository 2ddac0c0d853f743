-- exptrack experiment homepage_aa, step metrics (from state), as of 2026-11-01T00:00:00.000Z
-- The metrics step's aggregates from the refreshed per-unit state: the per-unit values were built by
-- the metrics' own partial (step state stage); capping, dimensions and sums are the full refresh's.
WITH
current_units AS (
  SELECT
    d.unit_id, d.first_exposed_at, d.variant_min, d.variant_max, `d`.`dim_1`, `d`.`m_1_y`, `d`.`m_1_x`, `d`.`m_2_y`, `d`.`m_2_x`, `d`.`m_3_y`, `d`.`m_3_x`
  FROM `exptrack_delta` AS d
  UNION ALL
  SELECT
    o.unit_id, o.first_exposed_at, o.variant_min, o.variant_max, `o`.`dim_1`,
    `o`.`m_1_y` AS `m_1_y`,
    `o`.`m_1_x` AS `m_1_x`,
    `o`.`m_2_y` AS `m_2_y`,
    `o`.`m_2_x` AS `m_2_x`,
    `o`.`m_3_y` AS `m_3_y`,
    `o`.`m_3_x` AS `m_3_x`
  FROM `analytics_state`.`exptrack_homepage_aa_units` AS o
  WHERE NOT EXISTS (SELECT 1 FROM `exptrack_delta` AS t WHERE t.unit_id = o.unit_id)),
all_units AS (
  SELECT
    u.unit_id,
    u.first_exposed_at,
    CASE WHEN u.variant_min = u.variant_max THEN 1 WHEN u.variant_min IS NULL THEN 0 ELSE 2 END AS variant_count,
    u.variant_min AS variant,
    `u`.`dim_1`
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
`source_1_units` AS (
  SELECT unit_id, `m_1_y`, `m_1_x`, `m_2_y`, `m_2_x`, `m_3_y`, `m_3_x`
  FROM current_units
),
`dim_1_top` AS (
  -- The 10 values of this dimension with most units; the rest become one group.
  SELECT `dim_1` AS dimension_value
  FROM exposures
  WHERE `dim_1` IS NOT NULL
  GROUP BY `dim_1`
  ORDER BY COUNT(*) DESC, `dim_1`
  LIMIT 10
),
unit_values AS (
  SELECT
    e.variant,
    CASE WHEN `e`.`dim_1` IS NULL OR `t1`.`dimension_value` IS NOT NULL
      THEN `e`.`dim_1` ELSE '(other)' END AS `dim_1`,
    COALESCE(`source_1_units`.`m_1_y`, 0) AS `m_1_y`,
    COALESCE(`source_1_units`.`m_1_x`, 0) AS `m_1_x`,
    COALESCE(`source_1_units`.`m_2_y`, 0) AS `m_2_y`,
    COALESCE(`source_1_units`.`m_2_x`, 0) AS `m_2_x`,
    COALESCE(`source_1_units`.`m_3_y`, 0) AS `m_3_y`,
    COALESCE(`source_1_units`.`m_3_x`, 0) AS `m_3_x`
  FROM exposures AS e
  LEFT JOIN `dim_1_top` AS `t1` ON `t1`.`dimension_value` = `e`.`dim_1`
  LEFT JOIN `source_1_units` ON `source_1_units`.`unit_id` = e.unit_id
),
caps_raw AS (
  -- Winsorization: each capped column's cap, pooled over all arms.
  SELECT
    (
      SELECT PERCENTILE_CONT(CAST(`u`.`m_2_y` AS FLOAT64), 0.99) OVER ()
      FROM unit_values AS u
      -- One row: a no-op after an aggregate; needed where the percentile is a window function (BigQuery).
      LIMIT 1
    ) AS `m_2_y_cap`,
    (
      SELECT PERCENTILE_CONT(CAST(`u`.`m_2_x` AS FLOAT64), 0.99) OVER ()
      FROM unit_values AS u
      -- One row: a no-op after an aggregate; needed where the percentile is a window function (BigQuery).
      LIMIT 1
    ) AS `m_2_x_cap`
),
caps AS (
  -- Caps as exact decimals, so every warehouse caps at the same value and sums stay exact.
  SELECT
    ROUND(CAST(`r`.`m_2_y_cap` AS NUMERIC), 6) AS `m_2_y_cap`,
    ROUND(CAST(`r`.`m_2_x_cap` AS NUMERIC), 6) AS `m_2_x_cap`
  FROM caps_raw AS r
),
analysed_values AS (
  SELECT
    u.*,
    CASE WHEN `c`.`m_2_y_cap` IS NOT NULL AND `u`.`m_2_y` > `c`.`m_2_y_cap`
      THEN `c`.`m_2_y_cap` ELSE `u`.`m_2_y` END AS `m_2_y_capped`,
    `c`.`m_2_y_cap` AS `m_2_y_cap`,
    CASE WHEN `c`.`m_2_x_cap` IS NOT NULL AND `u`.`m_2_x` > `c`.`m_2_x_cap`
      THEN `c`.`m_2_x_cap` ELSE `u`.`m_2_x` END AS `m_2_x_capped`,
    `c`.`m_2_x_cap` AS `m_2_x_cap`
  FROM unit_values AS u
  CROSS JOIN caps AS c
)
SELECT
  variant,
  `dim_1`,
  GROUPING(`dim_1`) AS `dim_1_grouping`,
  COUNT(*) AS units,
  MAX(`m_2_y_cap`) AS `m_2_y_cap`,
  MAX(`m_2_x_cap`) AS `m_2_x_cap`,
  SUM(`m_1_y`) AS `m_1_y_sum`,
  SUM(`m_1_y` * `m_1_y`) AS `m_1_y_sum_squares`,
  SUM(`m_1_x`) AS `m_1_x_sum`,
  SUM(`m_1_x` * `m_1_x`) AS `m_1_x_sum_squares`,
  SUM(`m_1_y` * `m_1_x`) AS `m_1_yx_sum`,
  SUM(`m_2_y_capped`) AS `m_2_y_sum`,
  SUM(`m_2_y_capped` * `m_2_y_capped`) AS `m_2_y_sum_squares`,
  SUM(`m_2_x_capped`) AS `m_2_x_sum`,
  SUM(`m_2_x_capped` * `m_2_x_capped`) AS `m_2_x_sum_squares`,
  SUM(`m_2_y_capped` * `m_2_x_capped`) AS `m_2_yx_sum`,
  SUM(`m_3_y`) AS `m_3_y_sum`,
  SUM(`m_3_y` * `m_3_y`) AS `m_3_y_sum_squares`,
  SUM(`m_3_x`) AS `m_3_x_sum`,
  SUM(`m_3_x` * `m_3_x`) AS `m_3_x_sum_squares`,
  SUM(`m_3_y` * `m_3_x`) AS `m_3_yx_sum`
FROM analysed_values
GROUP BY GROUPING SETS (
  (variant),
  (variant, `dim_1`)
)
