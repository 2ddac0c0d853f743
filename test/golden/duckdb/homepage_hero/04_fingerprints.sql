-- exptrack experiment homepage_hero, step fingerprints, as of 2026-11-01T00:00:00.000Z
-- Per source, over exactly the rows the experiment reads (the OR of its reads below): row count, event
-- time range and an order-independent content hash (XOR of a 64-bit hash per row, of its text or, where the
-- warehouse can, of its typed columns), for the whole read
-- (event_day NULL) and per UTC day, so runs whose windows differ can still compare the days both cover.
WITH
"fp_rows_1" AS (
  SELECT
    CAST("s"."exposed_at" AS DATE) AS event_day,
    "s"."exposed_at" AS event_at,
    hash("s"."user_id", "s"."exposed_at", "s"."loaded_at", "s"."experiment_key", "s"."variant", "s"."country", "s"."is_employee", "s"."platform") AS row_hash
  FROM "main"."exposures" AS s
  WHERE ("s"."experiment_key" = 'homepage_hero' AND "s"."exposed_at" >= TIMESTAMP '2026-10-04 00:00:00.000' AND "s"."exposed_at" < TIMESTAMP '2026-11-01 00:00:00.000')
     OR (("s"."is_employee" = TRUE) AND "s"."exposed_at" >= TIMESTAMP '2026-10-04 00:00:00.000' AND "s"."exposed_at" < TIMESTAMP '2026-11-01 00:00:00.000')
),
"fp_rows_2" AS (
  SELECT
    CAST("s"."event_at" AS DATE) AS event_day,
    "s"."event_at" AS event_at,
    hash("s"."user_id", "s"."event_at", "s"."loaded_at", "s"."amount", "s"."event_name") AS row_hash
  FROM "main"."web_events" AS s
  WHERE ("s"."event_at" >= TIMESTAMP '2026-09-20 00:00:00.000' AND "s"."event_at" < TIMESTAMP '2026-11-01 00:00:00.000')
)
SELECT
  'exposures' AS source_name,
  CAST("r"."event_day" AS VARCHAR) AS event_day,
  GROUPING("r"."event_day") AS is_total,
  COUNT(*) AS row_count,
  MIN("r"."event_at") AS min_event_at,
  MAX("r"."event_at") AS max_event_at,
  CAST(BIT_XOR("r"."row_hash") AS VARCHAR) AS content_xor
FROM (
  SELECT "t"."event_day" AS event_day, "t"."event_at" AS event_at, "t"."row_hash" AS row_hash
  FROM "fp_rows_1" AS t
) AS r
GROUP BY GROUPING SETS ((), ("r"."event_day"))
UNION ALL
SELECT
  'web_events' AS source_name,
  CAST("r"."event_day" AS VARCHAR) AS event_day,
  GROUPING("r"."event_day") AS is_total,
  COUNT(*) AS row_count,
  MIN("r"."event_at") AS min_event_at,
  MAX("r"."event_at") AS max_event_at,
  CAST(BIT_XOR("r"."row_hash") AS VARCHAR) AS content_xor
FROM (
  SELECT "t"."event_day" AS event_day, "t"."event_at" AS event_at, "t"."row_hash" AS row_hash
  FROM "fp_rows_2" AS t
) AS r
GROUP BY GROUPING SETS ((), ("r"."event_day"))
