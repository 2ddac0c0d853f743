-- exptrack experiment homepage_aa, step metrics, as of 2026-11-01T00:00:00.000Z
-- Per-unit values inside each metric's window, then per-variant sufficient statistics.
-- Only the aggregates leave the warehouse. Values are summed as integers or DECIMAL(38, 6), which
-- add up exactly in any order: a re-run on the same data returns the same bytes.
WITH
exposure_rows AS (
  SELECT
    `x`.`user_id` AS unit_id,
    CAST(`x`.`variant` AS STRING) AS variant,
    `x`.`exposed_at` AS exposed_at,
    CAST(`x`.`platform` AS STRING) AS `dim_1`
  FROM `main`.`exposures` AS x
  WHERE `x`.`experiment_key` = 'homepage_aa'
    AND `x`.`user_id` IS NOT NULL
    AND `x`.`exposed_at` >= TIMESTAMP '2026-10-04 00:00:00.000 UTC'
    AND `x`.`exposed_at` < TIMESTAMP '2026-11-01 00:00:00.000 UTC'
),
included_rows AS (
  SELECT * FROM exposure_rows
),
unit_exposures AS (
  SELECT
    unit_id,
    MIN(exposed_at) AS first_exposed_at,
    COUNT(DISTINCT variant) AS variant_count,
    MIN(variant) AS variant,
    ARRAY_AGG(STRUCT(`r`.`dim_1` AS v) ORDER BY `r`.`exposed_at` LIMIT 1)[OFFSET(0)].v AS `dim_1`
  FROM included_rows AS r
  GROUP BY unit_id
),
exposures AS (
  SELECT *
  FROM unit_exposures
  WHERE variant_count = 1
    AND variant IN ('a', 'b')
),
`source_1_units` AS (
  SELECT
    e.unit_id,
    MAX(CASE WHEN `s1`.`event_at` >= e.first_exposed_at AND `s1`.`event_at` < TIMESTAMP_ADD(`e`.`first_exposed_at`, INTERVAL 604800 SECOND) AND (`s1`.`event_name` = 'order_completed') THEN 1 ELSE 0 END) AS `m_1`,
    SUM(CASE WHEN `s1`.`event_at` >= e.first_exposed_at AND `s1`.`event_at` < TIMESTAMP_ADD(`e`.`first_exposed_at`, INTERVAL 604800 SECOND) AND ((`s1`.`event_name` = 'order_completed') AND (`s1`.`amount` > 0)) THEN CAST(`s1`.`amount` AS NUMERIC) END) AS `m_2`,
    SUM(CASE WHEN `s1`.`event_at` >= e.first_exposed_at AND (`s1`.`event_name` = 'page_view') THEN 1 ELSE 0 END) AS `m_3`
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
    COALESCE(`source_1_units`.`m_1`, 0) AS `m_1`,
    COALESCE(`source_1_units`.`m_2`, 0) AS `m_2`,
    COALESCE(`source_1_units`.`m_3`, 0) AS `m_3`
  FROM exposures AS e
  LEFT JOIN `source_1_units` ON `source_1_units`.`unit_id` = e.unit_id
)
SELECT
  variant,
  `dim_1`,
  GROUPING(`dim_1`) AS `dim_1_grouping`,
  COUNT(*) AS units,
  SUM(`m_1`) AS `m_1_sum`,
  SUM(`m_1` * `m_1`) AS `m_1_sum_squares`,
  SUM(`m_2`) AS `m_2_sum`,
  SUM(`m_2` * `m_2`) AS `m_2_sum_squares`,
  SUM(`m_3`) AS `m_3_sum`,
  SUM(`m_3` * `m_3`) AS `m_3_sum_squares`
FROM unit_values
GROUP BY GROUPING SETS (
  (variant),
  (variant, `dim_1`)
)
