-- exptrack experiment upsell_widget, step sources, as of 2026-11-01T00:00:00.000Z
-- Latest event and load time of every source the experiment reads, for the data latency check.
SELECT
  'exposures' AS source_name,
  MAX("s"."exposed_at") AS latest_event_at,
  MAX("s"."loaded_at") AS latest_loaded_at,
  COUNT(*) AS row_count
FROM "main"."exposures" AS s
WHERE "s"."exposed_at" >= TIMESTAMP '2026-10-04 00:00:00.000'
  AND "s"."exposed_at" < TIMESTAMP '2026-11-01 00:00:00.000'
UNION ALL
SELECT
  'web_events' AS source_name,
  MAX("s"."event_at") AS latest_event_at,
  MAX("s"."loaded_at") AS latest_loaded_at,
  COUNT(*) AS row_count
FROM "main"."web_events" AS s
WHERE "s"."event_at" >= TIMESTAMP '2026-10-04 00:00:00.000'
  AND "s"."event_at" < TIMESTAMP '2026-11-01 00:00:00.000'
