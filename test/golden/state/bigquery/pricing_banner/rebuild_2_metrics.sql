-- exptrack experiment pricing_banner, step metrics (from state), as of 2026-11-01T00:00:00.000Z
-- The metrics step's aggregates from the refreshed per-unit state: the per-unit values were built by
-- the metrics' own partial (step state stage); capping, dimensions and sums are the full refresh's.
WITH
current_units AS (
  SELECT
    d.unit_id, d.first_exposed_at, d.variant_min, d.variant_max, `d`.`m_1_y`, `d`.`m_1_x`, `d`.`m_2_y`, `d`.`m_2_x`
  FROM `exptrack_delta` AS d),
excluded_now AS (
  SELECT unit_id FROM `exptrack_excluded_new`
),
unit_exposures AS (
  SELECT
    u.unit_id,
    u.first_exposed_at,
    CASE WHEN u.variant_min = u.variant_max THEN 1 WHEN u.variant_min IS NULL THEN 0 ELSE 2 END AS variant_count,
    u.variant_min AS variant
  FROM current_units AS u
  WHERE NOT EXISTS (SELECT 1 FROM excluded_now AS x WHERE x.unit_id = u.unit_id)
),
exposures AS (
  SELECT *
  FROM unit_exposures
  WHERE variant_count = 1
    AND variant IN ('control', 'banner')
),
`source_1_units` AS (
  SELECT unit_id, `m_1_y`, `m_1_x`, `m_2_y`, `m_2_x`
  FROM current_units
),
unit_values AS (
  SELECT
    e.variant,
    COALESCE(`source_1_units`.`m_1_y`, 0) AS `m_1_y`,
    COALESCE(`source_1_units`.`m_1_x`, 0) AS `m_1_x`,
    COALESCE(`source_1_units`.`m_2_y`, 0) AS `m_2_y`,
    COALESCE(`source_1_units`.`m_2_x`, 0) AS `m_2_x`
  FROM exposures AS e
  LEFT JOIN `source_1_units` ON `source_1_units`.`unit_id` = e.unit_id
),
caps_raw AS (
  -- Winsorization: each capped column's cap, pooled over all arms.
  SELECT
    (
      SELECT APPROX_QUANTILES(CAST(`u`.`m_2_y` AS FLOAT64), 1000)[SAFE_OFFSET(CAST(ROUND(0.99 * 1000) AS INT64))]
      FROM unit_values AS u
    ) AS `m_2_y_cap`,
    (
      SELECT APPROX_QUANTILES(CAST(`u`.`m_2_x` AS FLOAT64), 1000)[SAFE_OFFSET(CAST(ROUND(0.99 * 1000) AS INT64))]
      FROM unit_values AS u
    ) AS `m_2_x_cap`
),
caps AS (
  -- Caps as exact decimals, so every warehouse caps at the same value and sums stay exact.
  SELECT
    CAST(`r`.`m_2_y_cap` AS NUMERIC) AS `m_2_y_cap`,
    CAST(`r`.`m_2_x_cap` AS NUMERIC) AS `m_2_x_cap`
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
  SUM(`m_2_y_capped` * `m_2_x_capped`) AS `m_2_yx_sum`
FROM analysed_values
GROUP BY variant
