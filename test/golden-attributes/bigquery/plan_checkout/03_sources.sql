-- exptrack experiment plan_checkout, step sources, as of 2026-09-22T00:00:00.000Z
-- Latest event and load time of every source the experiment reads, for the data latency check.
SELECT
  'events' AS source_name,
  MAX(`s`.`occurred_at`) AS latest_event_at,
  CAST(NULL AS TIMESTAMP) AS latest_loaded_at,
  COUNT(*) AS row_count
FROM `app`.`events` AS s
WHERE `s`.`occurred_at` >= TIMESTAMP '2026-09-01 00:00:00.000 UTC'
  AND `s`.`occurred_at` < TIMESTAMP '2026-09-22 00:00:00.000 UTC'
UNION ALL
SELECT
  'experiment_exposures' AS source_name,
  MAX(`s`.`seen_at`) AS latest_event_at,
  CAST(NULL AS TIMESTAMP) AS latest_loaded_at,
  COUNT(*) AS row_count
FROM `app`.`experiment_exposures` AS s
WHERE `s`.`seen_at` >= TIMESTAMP '2026-09-01 00:00:00.000 UTC'
  AND `s`.`seen_at` < TIMESTAMP '2026-09-22 00:00:00.000 UTC'
