-- exptrack experiment checkout_redesign, step metrics, as of 2026-11-01T00:00:00.000Z
-- Per-unit values inside each metric's window, then per-variant sufficient statistics.
-- Only the aggregates leave the warehouse. Values are summed as integers or DECIMAL(38, 6), which
-- add up exactly in any order: a re-run on the same data returns the same bytes.
WITH
exposure_rows AS (
  SELECT
    `x`.`user_id` AS unit_id,
    CAST(`x`.`variant` AS STRING) AS variant,
    `x`.`exposed_at` AS exposed_at,
    CAST(`x`.`country` AS STRING) AS `dim_1`,
    CAST(`x`.`platform` AS STRING) AS `dim_2`
  FROM `main`.`exposures` AS x
  WHERE `x`.`experiment_key` = 'checkout_redesign'
    AND `x`.`user_id` IS NOT NULL
    AND `x`.`exposed_at` >= TIMESTAMP '2026-10-04 00:00:00.000 UTC'
    AND `x`.`exposed_at` < TIMESTAMP '2026-11-01 00:00:00.000 UTC'
),
excluded_units AS (
  -- audience filter internal_traffic
  SELECT `f`.`user_id` AS unit_id
  FROM `main`.`exposures` AS f
  WHERE (`f`.`is_employee` = TRUE)
    AND `f`.`exposed_at` >= TIMESTAMP '2026-10-04 00:00:00.000 UTC'
    AND `f`.`exposed_at` < TIMESTAMP '2026-11-01 00:00:00.000 UTC'
),
included_rows AS (
  SELECT r.*
  FROM exposure_rows AS r
  LEFT JOIN excluded_units AS xu ON xu.unit_id = r.unit_id
  WHERE xu.unit_id IS NULL
),
unit_exposures AS (
  SELECT
    unit_id,
    MIN(exposed_at) AS first_exposed_at,
    COUNT(DISTINCT variant) AS variant_count,
    MIN(variant) AS variant,
    ARRAY_AGG(STRUCT(`r`.`dim_1` AS v) ORDER BY `r`.`exposed_at` LIMIT 1)[OFFSET(0)].v AS `dim_1`,
    ARRAY_AGG(STRUCT(`r`.`dim_2` AS v) ORDER BY `r`.`exposed_at` LIMIT 1)[OFFSET(0)].v AS `dim_2`
  FROM included_rows AS r
  GROUP BY unit_id
),
exposures AS (
  SELECT *
  FROM unit_exposures
  WHERE variant_count = 1
    AND variant IN ('control', 'one_page')
),
`source_1_units` AS (
  SELECT
    e.unit_id,
    MAX(CASE WHEN `s1`.`event_at` >= e.first_exposed_at AND `s1`.`event_at` < TIMESTAMP_ADD(`e`.`first_exposed_at`, INTERVAL 604800 SECOND) AND (`s1`.`event_name` = 'order_completed') THEN 1 ELSE 0 END) AS `m_1`,
    SUM(CASE WHEN `s1`.`event_at` >= e.first_exposed_at AND `s1`.`event_at` < TIMESTAMP_ADD(`e`.`first_exposed_at`, INTERVAL 604800 SECOND) AND ((`s1`.`event_name` = 'order_completed') AND (`s1`.`amount` > 0)) THEN CAST(`s1`.`amount` AS NUMERIC) END) AS `m_2`,
    SUM(CASE WHEN `s1`.`event_at` >= e.first_exposed_at AND (`s1`.`event_name` = 'page_view') THEN 1 ELSE 0 END) AS `m_3`,
    SUM(CASE WHEN `s1`.`event_at` >= e.first_exposed_at AND (`s1`.`event_name` = 'checkout_error') THEN 1 ELSE 0 END) AS `m_4`
  FROM exposures AS e
  INNER JOIN `main`.`web_events` AS `s1`
    ON `s1`.`user_id` = e.unit_id
  WHERE `s1`.`event_at` >= TIMESTAMP '2026-10-04 00:00:00.000 UTC'
    AND `s1`.`event_at` < TIMESTAMP '2026-11-01 00:00:00.000 UTC'
  GROUP BY e.unit_id
),
unit_values AS (
  SELECT
    e.variant,
    `e`.`dim_1`,
    `e`.`dim_2`,
    COALESCE(`source_1_units`.`m_1`, 0) AS `m_1`,
    COALESCE(`source_1_units`.`m_2`, 0) AS `m_2`,
    COALESCE(`source_1_units`.`m_3`, 0) AS `m_3`,
    COALESCE(`source_1_units`.`m_4`, 0) AS `m_4`
  FROM exposures AS e
  LEFT JOIN `source_1_units` ON `source_1_units`.`unit_id` = e.unit_id
)
SELECT
  variant,
  `dim_1`,
  GROUPING(`dim_1`) AS `dim_1_grouping`,
  `dim_2`,
  GROUPING(`dim_2`) AS `dim_2_grouping`,
  COUNT(*) AS units,
  SUM(`m_1`) AS `m_1_sum`,
  SUM(`m_1` * `m_1`) AS `m_1_sum_squares`,
  SUM(`m_2`) AS `m_2_sum`,
  SUM(`m_2` * `m_2`) AS `m_2_sum_squares`,
  SUM(`m_3`) AS `m_3_sum`,
  SUM(`m_3` * `m_3`) AS `m_3_sum_squares`,
  SUM(`m_4`) AS `m_4_sum`,
  SUM(`m_4` * `m_4`) AS `m_4_sum_squares`
FROM unit_values
GROUP BY GROUPING SETS (
  (variant),
  (variant, `dim_1`),
  (variant, `dim_2`)
)
