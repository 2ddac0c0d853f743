-- exptrack experiment shadow_latency, step pairs, as of 2026-11-01T00:00:00.000Z
-- Matched pairs keyed by a pair id (a shadow variant replayed on the same inputs as live control): per
-- metric, each arm's value per pair id (summed over the arm's rows of that id inside each unit's window),
-- an inner join of every treatment's pair ids with control's, and per treatment the number of pairs, the
-- sum of the differences (treatment - control) and of their squares. Only these aggregates leave.
-- The difference column is quoted wherever it appears, as the product partial quotes it (Snowflake
-- folds unquoted names to upper case).
WITH
exposure_rows AS (
  SELECT
    "x"."user_id" AS unit_id,
    CAST("x"."variant" AS VARCHAR) AS variant,
    "x"."exposed_at" AS exposed_at
  FROM "main"."exposures" AS x
  WHERE "x"."experiment_key" = 'checkout_redesign'
    AND "x"."user_id" IS NOT NULL
    AND "x"."exposed_at" >= TIMESTAMP '2026-10-04 00:00:00.000'
    AND "x"."exposed_at" < TIMESTAMP '2026-11-01 00:00:00.000'
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
unit_exposures AS (
  SELECT * FROM all_units
),
exposures AS (
  SELECT *
  FROM unit_exposures
  WHERE variant_count = 1
    AND variant IN ('control', 'one_page')
),
"pairs_1" AS (
  SELECT
    e.variant,
    "s1"."request_id" AS pair_id,
    SUM(CASE WHEN "s1"."event_at" >= e.first_exposed_at THEN CAST("s1"."latency_ms" AS DECIMAL(38, 6)) END) AS v
  FROM exposures AS e
  INNER JOIN "main"."shadow_latency" AS "s1"
    ON "s1"."user_id" = e.unit_id
  WHERE "s1"."event_at" >= TIMESTAMP '2026-10-04 00:00:00.000'
    AND "s1"."event_at" < TIMESTAMP '2026-11-01 00:00:00.000'
    AND "s1"."request_id" IS NOT NULL
  GROUP BY e.variant, "s1"."request_id"
),
pair_differences AS (
  SELECT 'latency_vs_live' AS metric, t.variant, t.v - c.v AS "d"
  FROM "pairs_1" AS t
  INNER JOIN "pairs_1" AS c ON c.pair_id = t.pair_id
  WHERE c.variant = 'control' AND t.variant <> 'control'
    AND t.v IS NOT NULL AND c.v IS NOT NULL
)
SELECT
  metric, variant,
  COUNT(*) AS pairs,
  SUM("d") AS d_sum,
  SUM("d" * "d") AS d_sum_squares
FROM pair_differences
GROUP BY metric, variant
ORDER BY metric, variant
