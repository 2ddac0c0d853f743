-- exptrack experiment recommendation_carousel, step assignment (from state), as of 2026-11-01T00:00:00.000Z
-- The assignment audit over the refreshed per-unit state (stored units plus this run's delta): the same
-- units, variants and variant counts as a full refresh, hashed by the same SQL (the assignment_audit partial).
WITH
current_units AS (
  SELECT
    d.unit_id, d.first_exposed_at, d.variant_min, d.variant_max, "d"."m_1_y", "d"."m_1_x", "d"."m_2_y", "d"."m_2_x"
  FROM "exptrack_delta" AS d),
"audience_1" AS (
  -- audience filter internal_traffic (exclude): units it matched before the cut (stored) and since
  -- (a unit can match on both sides of the cut: DISTINCT keeps it once, as the full refresh's DISTINCT does)
  SELECT DISTINCT m.unit_id
  FROM (
    SELECT unit_id FROM "exptrack_excluded_new" WHERE filter_no = 1
  ) AS m
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
    CASE WHEN "a1"."unit_id" IS NULL THEN 0 ELSE 1 END AS "removed_by_1"
  FROM all_units AS u
  LEFT JOIN "audience_1" AS "a1" ON "a1"."unit_id" = u.unit_id
),
unit_exposures AS (
  SELECT *
  FROM audience_units
  WHERE "removed_by_1" = 0
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
    'recommendation_carousel-' || CAST("e"."unit_id" AS VARCHAR) AS hash_input
  FROM unit_exposures AS e
  WHERE e.variant_count = 1
),
audited AS (
  SELECT
    h.variant,
    MOD(TO_NUMBER(UPPER(LEFT(MD5("h"."hash_input"), 8)), 'XXXXXXXX'), 10000) AS shard
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
