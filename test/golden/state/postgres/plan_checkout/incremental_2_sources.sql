-- exptrack experiment plan_checkout, step sources (from state), as of 2026-09-22T00:00:00.000Z
-- Latest event and load time and row count per source: the stored totals before the watermark plus
-- the rows read since.
WITH
source_parts AS (
  SELECT source_name, latest_event_at, latest_loaded_at, row_count FROM "exptrack_sources_new"
  UNION ALL
  SELECT source_name, latest_event_at, latest_loaded_at, row_count FROM "analytics_state"."exptrack_plan_checkout_sources"
)
SELECT
  'events' AS source_name,
  MAX(p.latest_event_at) AS latest_event_at,
  MAX(p.latest_loaded_at) AS latest_loaded_at,
  COALESCE(SUM(p.row_count), 0) AS row_count
FROM source_parts AS p
WHERE p.source_name = 'events'
UNION ALL
SELECT
  'experiment_exposures' AS source_name,
  MAX(p.latest_event_at) AS latest_event_at,
  MAX(p.latest_loaded_at) AS latest_loaded_at,
  COALESCE(SUM(p.row_count), 0) AS row_count
FROM source_parts AS p
WHERE p.source_name = 'experiment_exposures'
