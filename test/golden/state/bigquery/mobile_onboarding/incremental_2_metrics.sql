-- exptrack experiment mobile_onboarding, step metrics (from state), as of 2026-11-01T00:00:00.000Z
-- The metrics step's aggregates from the refreshed per-unit state: the per-unit values were built by
-- the metrics' own partial (step state stage); capping, dimensions and sums are the full refresh's.
WITH
current_units AS (
  SELECT
    d.unit_id, d.first_exposed_at, d.variant_min, d.variant_max, `d`.`m_1_y`, `d`.`m_1_x`
  FROM `exptrack_delta` AS d
  UNION ALL
  SELECT
    o.unit_id, o.first_exposed_at, o.variant_min, o.variant_max,
    `o`.`m_1_y` AS `m_1_y`,
    `o`.`m_1_x` AS `m_1_x`
  FROM `analytics_state`.`exptrack_mobile_onboarding_units` AS o
  WHERE NOT EXISTS (SELECT 1 FROM `exptrack_delta` AS t WHERE t.unit_id = o.unit_id)),
all_units AS (
  SELECT
    u.unit_id,
    u.first_exposed_at,
    CASE WHEN u.variant_min = u.variant_max THEN 1 WHEN u.variant_min IS NULL THEN 0 ELSE 2 END AS variant_count,
    u.variant_min AS variant
  FROM current_units AS u
),
unit_exposures AS (
  SELECT * FROM all_units
),
exposures AS (
  SELECT *
  FROM unit_exposures
  WHERE variant_count = 1
    AND variant IN ('five_screens', 'three_screens')
),
`source_1_units` AS (
  SELECT unit_id, `m_1_y`, `m_1_x`
  FROM current_units
),
unit_values AS (
  SELECT
    e.variant,
    COALESCE(`source_1_units`.`m_1_y`, 0) AS `m_1_y`,
    COALESCE(`source_1_units`.`m_1_x`, 0) AS `m_1_x`
  FROM exposures AS e
  LEFT JOIN `source_1_units` ON `source_1_units`.`unit_id` = e.unit_id
),
analysed_values AS (
  SELECT * FROM unit_values
)
SELECT
  variant,
  COUNT(*) AS units,
  SUM(`m_1_y`) AS `m_1_y_sum`,
  SUM(`m_1_y` * `m_1_y`) AS `m_1_y_sum_squares`,
  SUM(`m_1_x`) AS `m_1_x_sum`,
  SUM(`m_1_x` * `m_1_x`) AS `m_1_x_sum_squares`,
  SUM(`m_1_y` * `m_1_x`) AS `m_1_yx_sum`
FROM analysed_values
GROUP BY variant
