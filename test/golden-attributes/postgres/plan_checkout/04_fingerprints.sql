-- exptrack experiment plan_checkout, step fingerprints, as of 2026-09-22T00:00:00.000Z
-- Per source, over exactly the rows the experiment reads (the OR of its reads below): row count, event
-- time range and an order-independent content hash (XOR of a 64-bit hash per row, of its text or, where the
-- warehouse can, of its typed columns), for the whole read
-- (event_day NULL) and per UTC day, so runs whose windows differ can still compare the days both cover.
WITH
"fp_rows_1" AS (
  SELECT
    -- an attribute table: no event time, so no days; its rows are those its filters match, or all when a dimension reads it
    CAST(NULL AS DATE) AS event_day,
    CAST(NULL AS TIMESTAMP) AS event_at,
    CAST(CAST('x' || LEFT(md5(COALESCE('v' || REPLACE(CAST("s"."account_id" AS TEXT), '~', '~~') || '~', 'n~') || ',' || COALESCE('v' || REPLACE(CAST("s"."is_internal" AS TEXT), '~', '~~') || '~', 'n~') || ',' || COALESCE('v' || REPLACE(CAST("s"."plan" AS TEXT), '~', '~~') || '~', 'n~')), 16) AS BIT(64)) AS BIGINT) AS row_hash
  FROM "app"."accounts" AS s
  WHERE ("s"."is_internal")
     OR (1 = 1)
),
"fp_rows_2" AS (
  SELECT
    CAST("s"."occurred_at" AS DATE) AS event_day,
    "s"."occurred_at" AS event_at,
    CAST(CAST('x' || LEFT(md5(COALESCE('v' || REPLACE(CAST("s"."account_id" AS TEXT), '~', '~~') || '~', 'n~') || ',' || COALESCE('v' || REPLACE(CAST("s"."occurred_at" AS TEXT), '~', '~~') || '~', 'n~') || ',' || COALESCE('v' || REPLACE(CAST("s"."event_name" AS TEXT), '~', '~~') || '~', 'n~') || ',' || COALESCE('v' || REPLACE(CAST("s"."revenue" AS TEXT), '~', '~~') || '~', 'n~')), 16) AS BIT(64)) AS BIGINT) AS row_hash
  FROM "app"."events" AS s
  WHERE ("s"."occurred_at" >= TIMESTAMP '2026-08-18 00:00:00.000' AND "s"."occurred_at" < TIMESTAMP '2026-09-22 00:00:00.000')
),
"fp_rows_3" AS (
  SELECT
    CAST("s"."seen_at" AS DATE) AS event_day,
    "s"."seen_at" AS event_at,
    CAST(CAST('x' || LEFT(md5(COALESCE('v' || REPLACE(CAST("s"."account_id" AS TEXT), '~', '~~') || '~', 'n~') || ',' || COALESCE('v' || REPLACE(CAST("s"."seen_at" AS TEXT), '~', '~~') || '~', 'n~') || ',' || COALESCE('v' || REPLACE(CAST("s"."experiment" AS TEXT), '~', '~~') || '~', 'n~') || ',' || COALESCE('v' || REPLACE(CAST("s"."arm" AS TEXT), '~', '~~') || '~', 'n~')), 16) AS BIT(64)) AS BIGINT) AS row_hash
  FROM "app"."experiment_exposures" AS s
  WHERE ("s"."experiment" = 'new_checkout' AND "s"."seen_at" >= TIMESTAMP '2026-09-01 00:00:00.000' AND "s"."seen_at" < TIMESTAMP '2026-09-15 00:00:00.000')
)
SELECT
  'accounts' AS source_name,
  CAST("r"."event_day" AS TEXT) AS event_day,
  GROUPING("r"."event_day") AS is_total,
  COUNT(*) AS row_count,
  MIN("r"."event_at") AS min_event_at,
  MAX("r"."event_at") AS max_event_at,
  CAST(BIT_XOR("r"."row_hash") AS TEXT) AS content_xor
FROM (
  SELECT "t"."event_day" AS event_day, "t"."event_at" AS event_at, "t"."row_hash" AS row_hash
  FROM "fp_rows_1" AS t
) AS r
GROUP BY GROUPING SETS ((), ("r"."event_day"))
UNION ALL
SELECT
  'events' AS source_name,
  CAST("r"."event_day" AS TEXT) AS event_day,
  GROUPING("r"."event_day") AS is_total,
  COUNT(*) AS row_count,
  MIN("r"."event_at") AS min_event_at,
  MAX("r"."event_at") AS max_event_at,
  CAST(BIT_XOR("r"."row_hash") AS TEXT) AS content_xor
FROM (
  SELECT "t"."event_day" AS event_day, "t"."event_at" AS event_at, "t"."row_hash" AS row_hash
  FROM "fp_rows_2" AS t
) AS r
GROUP BY GROUPING SETS ((), ("r"."event_day"))
UNION ALL
SELECT
  'experiment_exposures' AS source_name,
  CAST("r"."event_day" AS TEXT) AS event_day,
  GROUPING("r"."event_day") AS is_total,
  COUNT(*) AS row_count,
  MIN("r"."event_at") AS min_event_at,
  MAX("r"."event_at") AS max_event_at,
  CAST(BIT_XOR("r"."row_hash") AS TEXT) AS content_xor
FROM (
  SELECT "t"."event_day" AS event_day, "t"."event_at" AS event_at, "t"."row_hash" AS row_hash
  FROM "fp_rows_3" AS t
) AS r
GROUP BY GROUPING SETS ((), ("r"."event_day"))
