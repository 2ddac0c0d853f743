-- exptrack experiment recommendation_carousel, step assignment, as of 2026-11-01T00:00:00.000Z
-- Recomputes every exposed unit's variant from the declared assignment scheme (salt, shards, weights)
-- and counts units by logged and expected variant, for the assignment mismatch check. Units seen in
-- several variants are left to the multiple exposure check.
WITH
exposure_rows AS (
  SELECT
    `x`.`user_id` AS unit_id,
    CAST(`x`.`variant` AS STRING) AS variant,
    `x`.`exposed_at` AS exposed_at
  FROM `main`.`exposures` AS x
  WHERE `x`.`experiment_key` = 'recommendation_carousel'
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
    AND variant IN ('control', 'carousel')
),
hash_inputs AS (
  -- The string exptrack/assignment hashes: salt, '-', the unit id as text.
  SELECT
    e.variant,
    'recommendation_carousel-' || CAST(`e`.`unit_id` AS STRING) AS hash_input
  FROM unit_exposures AS e
  WHERE e.variant_count = 1
),
audited AS (
  SELECT
    h.variant,
    MOD(CAST(CONCAT('0x', SUBSTR(TO_HEX(MD5(`h`.`hash_input`)), 1, 8)) AS INT64), 10000) AS shard
  FROM hash_inputs AS h
),
expected AS (
  SELECT
    variant,
    CASE
      WHEN shard < 5000 THEN 'control'
      WHEN shard < 10000 THEN 'carousel'
    END AS expected_variant
  FROM audited
)
SELECT
  variant,
  expected_variant,
  COUNT(*) AS units
FROM expected
GROUP BY variant, expected_variant
ORDER BY variant, expected_variant
