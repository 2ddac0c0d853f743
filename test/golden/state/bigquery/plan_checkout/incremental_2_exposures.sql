-- exptrack experiment plan_checkout, step exposures (from state), as of 2026-09-22T00:00:00.000Z
-- The exposures step's result from the refreshed per-unit state: the same summary as a full refresh.
WITH
current_units AS (
  -- Dimensions from attribute tables are not stored: such a table has no event time and a unit's value can
-- change with no new exposure row, so it is joined whole at read time, one value per unit as a full refresh takes.
SELECT c.*, `ad1`.`dimension_value` AS `dim_1`
FROM (
SELECT
    d.unit_id, d.first_exposed_at, d.variant_min, d.variant_max, `d`.`m_1_y`, `d`.`m_1_x`, `d`.`m_2_y`, `d`.`m_2_x`
  FROM `exptrack_delta` AS d
  UNION ALL
  SELECT
    o.unit_id, o.first_exposed_at, o.variant_min, o.variant_max,
    `o`.`m_1_y` AS `m_1_y`,
    `o`.`m_1_x` AS `m_1_x`,
    `o`.`m_2_y` AS `m_2_y`,
    `o`.`m_2_x` AS `m_2_x`
  FROM `analytics_state`.`exptrack_plan_checkout_units` AS o
  WHERE NOT EXISTS (SELECT 1 FROM `exptrack_delta` AS t WHERE t.unit_id = o.unit_id)
) AS c
LEFT JOIN (
  SELECT `ad1`.`account_id` AS unit_id, MIN(CAST(`ad1`.`plan` AS STRING)) AS dimension_value
  FROM `app`.`accounts` AS `ad1`
  WHERE `ad1`.`account_id` IS NOT NULL
  GROUP BY `ad1`.`account_id`
) AS `ad1` ON `ad1`.`unit_id` = `c`.`unit_id`),
`audience_1` AS (
  -- audience filter internal_accounts (exclude): an attribute table, no time window, so read whole as a full refresh does
  SELECT DISTINCT `f`.`account_id` AS unit_id
  FROM `app`.`accounts` AS f
  WHERE (`f`.`is_internal`)
),
all_units AS (
  SELECT
    u.unit_id,
    u.first_exposed_at,
    CASE WHEN u.variant_min = u.variant_max THEN 1 WHEN u.variant_min IS NULL THEN 0 ELSE 2 END AS variant_count,
    u.variant_min AS variant,
    `u`.`dim_1`
  FROM current_units AS u
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
    AND variant IN ('old', 'new')
),
exposure_summary AS (
  SELECT
    CASE WHEN variant_count > 1 THEN NULL ELSE variant END AS variant,
    first_exposed_at,
    `removed_by_1`
  FROM audience_units
)
SELECT
  variant,
  `removed_by_1`,
  COUNT(*) AS units,
  MIN(first_exposed_at) AS first_exposure_at,
  MAX(first_exposed_at) AS last_exposure_at
FROM exposure_summary
GROUP BY variant, `removed_by_1`
ORDER BY variant, `removed_by_1`
