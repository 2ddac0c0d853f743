-- exptrack experiment checkout_layout_copy, step daily, as of 2026-11-01T00:00:00.000Z
-- Per-unit values inside each metric's window (and, for CUPED, in the window before first exposure),
-- then per-variant sums, sums of squares and cross-products. Only the aggregates leave the warehouse.
-- Values are summed as integers or exact decimals, which add up exactly in any order: a re-run on
-- the same data returns the same bytes.
WITH
exposure_rows AS (
  SELECT
    `x`.`user_id` AS unit_id,
    CAST(`x`.`variant` AS STRING) AS variant,
    `x`.`exposed_at` AS exposed_at
  FROM `main`.`exposures` AS x
  WHERE `x`.`experiment_key` = 'checkout_layout_copy'
    AND `x`.`user_id` IS NOT NULL
    AND `x`.`exposed_at` >= TIMESTAMP '2026-10-04 00:00:00.000 UTC'
    AND `x`.`exposed_at` < TIMESTAMP '2026-11-01 00:00:00.000 UTC'
),
`audience_1` AS (
  -- audience filter internal_traffic (exclude)
  SELECT DISTINCT `f`.`user_id` AS unit_id
  FROM `main`.`exposures` AS f
  WHERE (`f`.`is_employee` = TRUE)
    AND `f`.`exposed_at` >= TIMESTAMP '2026-10-04 00:00:00.000 UTC'
    AND `f`.`exposed_at` < TIMESTAMP '2026-11-01 00:00:00.000 UTC'
),
all_units AS (
  SELECT
    unit_id,
    MIN(exposed_at) AS first_exposed_at,
    -- How many variants the unit saw (0, 1, or 2 meaning two or more): MIN and MAX need no per-unit
    -- distinct set, which COUNT(DISTINCT) would build for every unit.
    CASE WHEN MIN(variant) = MAX(variant) THEN 1 WHEN MIN(variant) IS NULL THEN 0 ELSE 2 END AS variant_count,
    MIN(variant) AS variant
  FROM exposure_rows AS r
  GROUP BY unit_id
),
audience_units AS (
  -- Per unit and audience filter: 1 when the filter removes the unit, so the exposures step can count
  -- what each filter removed and how that overlaps with multiple exposure.
  SELECT
    u.*,
    CASE WHEN `a1`.`unit_id` IS NULL THEN 0 ELSE 1 END AS `removed_by_1`
  FROM all_units AS u
  LEFT JOIN `audience_1` AS `a1` ON `a1`.`unit_id` = u.unit_id
),
unit_exposures AS (
  SELECT *
  FROM audience_units
  WHERE `removed_by_1` = 0
),
exposures AS (
  SELECT *
  FROM unit_exposures
  WHERE variant_count = 1
    AND variant IN ('control', 'new_layout', 'new_copy', 'layout_and_copy')
),
`source_1_units` AS (
  SELECT
    e.unit_id,
    MAX(CASE WHEN `s1`.`event_at` >= e.first_exposed_at AND `s1`.`event_at` < TIMESTAMP_ADD(`e`.`first_exposed_at`, INTERVAL 604800 SECOND) AND (`s1`.`event_name` = 'order_completed') THEN 1 ELSE 0 END) AS `m_1_y`,
    MAX(CASE WHEN `s1`.`event_at` >= TIMESTAMP_ADD(`e`.`first_exposed_at`, INTERVAL -1209600 SECOND) AND `s1`.`event_at` < e.first_exposed_at AND (`s1`.`event_name` = 'order_completed') THEN 1 ELSE 0 END) AS `m_1_x`
  FROM exposures AS e
  INNER JOIN `main`.`web_events` AS `s1`
    ON `s1`.`user_id` = e.unit_id
  WHERE `s1`.`event_at` >= TIMESTAMP '2026-09-20 00:00:00.000 UTC'
    AND `s1`.`event_at` < TIMESTAMP '2026-11-01 00:00:00.000 UTC'
  GROUP BY e.unit_id
),
unit_values AS (
  SELECT
    e.variant,
    e.first_exposed_at,
    COALESCE(`source_1_units`.`m_1_y`, 0) AS `m_1_y`,
    COALESCE(`source_1_units`.`m_1_x`, 0) AS `m_1_x`
  FROM exposures AS e
  LEFT JOIN `source_1_units` ON `source_1_units`.`unit_id` = e.unit_id
),
analysed_values AS (
  SELECT * FROM unit_values
)
,
daily_sums AS (
  -- The daily step: the same per-unit values, summed per variant and UTC day of first exposure.
  SELECT
    a.variant,
    DATE(`a`.`first_exposed_at`, 'UTC') AS exposure_day,
    COUNT(*) AS units,
    SUM(`a`.`m_1_y`) AS `m_1_y_sum`,
    SUM(`a`.`m_1_y` * `a`.`m_1_y`) AS `m_1_y_sum_squares`,
    SUM(`a`.`m_1_x`) AS `m_1_x_sum`,
    SUM(`a`.`m_1_x` * `a`.`m_1_x`) AS `m_1_x_sum_squares`,
    SUM(`a`.`m_1_y` * `a`.`m_1_x`) AS `m_1_yx_sum`
  FROM analysed_values AS a
  GROUP BY a.variant, DATE(`a`.`first_exposed_at`, 'UTC')
)
-- Running totals per variant: each row holds every unit first exposed up to the end of its day.
SELECT
  variant,
  exposure_day,
  units AS day_units,
  SUM(units) OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS units,
  SUM(`m_1_y_sum`) OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS `m_1_y_sum`,
  SUM(`m_1_y_sum_squares`) OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS `m_1_y_sum_squares`,
  SUM(`m_1_x_sum`) OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS `m_1_x_sum`,
  SUM(`m_1_x_sum_squares`) OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS `m_1_x_sum_squares`,
  SUM(`m_1_yx_sum`) OVER (PARTITION BY variant ORDER BY exposure_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS `m_1_yx_sum`
FROM daily_sums
