-- exptrack experiment homepage_hero, step exposure_quality, as of 2026-11-01T00:00:00.000Z
-- Instrumentation checks: exposure rows in the window without an experiment key; analysed units that a
-- model filter marks as bot or internal traffic which this spec does not exclude; and events tagged with
-- this experiment's key (metric sources with an experiment_key column) before the unit's first exposure.
WITH
exposure_rows AS (
  SELECT
    `x`.`user_id` AS unit_id,
    CAST(`x`.`variant` AS STRING) AS variant,
    `x`.`exposed_at` AS exposed_at
  FROM `main`.`exposures` AS x
  WHERE `x`.`experiment_key` = 'homepage_hero'
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
    AND variant IN ('control', 'hero_video', 'hero_reviews')
),
key_rows AS (
  SELECT
    COUNT(*) AS exposure_rows,
    SUM(CASE WHEN `k`.`experiment_key` IS NULL OR `k`.`experiment_key` = '' THEN 1 ELSE 0 END) AS missing_key_rows
  FROM `main`.`exposures` AS k
  WHERE `k`.`exposed_at` >= TIMESTAMP '2026-10-04 00:00:00.000 UTC'
    AND `k`.`exposed_at` < TIMESTAMP '2026-11-01 00:00:00.000 UTC'
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
