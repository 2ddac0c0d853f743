-- exptrack experiment plan_checkout, step exposure_quality (from state), as of 2026-09-22T00:00:00.000Z
-- The exposure_quality step's counts from state: exposure rows in the window (stored counts before the
-- watermark plus the rows read since), marked units (the units each marked-traffic filter matched, kept
-- like audience filters') among the analysed units, and the analysed units. Only planned for specs
-- without tagged sources (src/state/state-plan.ts, qualityFromState), so no tagged events to count.
WITH
current_units AS (
  SELECT
    d.unit_id, d.first_exposed_at, d.variant_min, d.variant_max, `d`.`m_1_y`, `d`.`m_1_x`, `d`.`m_2_y`, `d`.`m_2_x`
  FROM `exptrack_delta` AS d),
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
    u.variant_min AS variant
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
key_parts AS (
  SELECT exposure_rows, missing_key_rows FROM `exptrack_quality_new`
),
key_rows AS (
  -- No part rows when the window has no exposure row: 0 and NULL, as COUNT and SUM give a full refresh.
  SELECT
    COALESCE(SUM(p.exposure_rows), 0) AS exposure_rows,
    SUM(p.missing_key_rows) AS missing_key_rows
  FROM key_parts AS p
),
marked AS (
  SELECT 0 AS marked_units
),
early AS (
  SELECT 0 AS tagged_events, 0 AS early_events
),
analysed AS (
  SELECT COUNT(*) AS analysed_units
  FROM exposures
)
SELECT
  k.exposure_rows,
  k.missing_key_rows,
  m.marked_units,
  a.analysed_units,
  ev.tagged_events,
  ev.early_events
FROM key_rows AS k
CROSS JOIN marked AS m
CROSS JOIN analysed AS a
CROSS JOIN early AS ev
