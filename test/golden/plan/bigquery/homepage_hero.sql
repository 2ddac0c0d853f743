-- exptrack experiment homepage_hero, step plan, pre-period 2026-09-13T00:00:00.000Z to 2026-10-04T00:00:00.000Z
-- Power analysis inputs: each unit's first event in the pre-period stands in for its exposure; the
-- primary metric is measured over its window from there, for units whose window ends inside the period.
WITH
first_seen AS (
  SELECT
    `s`.`user_id` AS unit_id,
    MIN(`s`.`event_at`) AS first_exposed_at
  FROM `main`.`web_events` AS s
  WHERE `s`.`event_at` >= TIMESTAMP '2026-09-13 00:00:00.000 UTC'
    AND `s`.`event_at` < TIMESTAMP '2026-10-04 00:00:00.000 UTC'
    AND `s`.`user_id` IS NOT NULL
  GROUP BY `s`.`user_id`
),
exposures AS (
  SELECT unit_id, first_exposed_at
  FROM first_seen
  WHERE first_exposed_at < TIMESTAMP '2026-09-27 00:00:00.000 UTC'
),
unit_source AS (
  SELECT
    e.unit_id,
    MAX(CASE WHEN `s`.`event_at` >= e.first_exposed_at AND `s`.`event_at` < TIMESTAMP_ADD(`e`.`first_exposed_at`, INTERVAL 604800 SECOND) AND (`s`.`event_name` = 'order_completed') THEN 1 ELSE 0 END) AS `metric_value`
  FROM exposures AS e
  INNER JOIN `main`.`web_events` AS `s`
    ON `s`.`user_id` = e.unit_id
  WHERE `s`.`event_at` >= TIMESTAMP '2026-09-13 00:00:00.000 UTC'
    AND `s`.`event_at` < TIMESTAMP '2026-10-04 00:00:00.000 UTC'
  GROUP BY e.unit_id
),
unit_values AS (
  SELECT COALESCE(`u`.`metric_value`, 0) AS `metric_value`
  FROM exposures AS e
  LEFT JOIN unit_source AS u ON u.unit_id = e.unit_id
)
SELECT
  (SELECT COUNT(*) FROM first_seen) AS units_seen,
  COUNT(*) AS units,
  SUM(`metric_value`) AS value_sum,
  SUM(`metric_value` * `metric_value`) AS value_sum_squares
FROM unit_values
