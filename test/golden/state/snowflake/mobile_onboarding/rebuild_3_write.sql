-- exptrack experiment mobile_onboarding, step state write, as of 2026-11-01T00:00:00.000Z, new watermark 2026-10-31T00:00:00.000Z
-- Only what lies before the cut is stored; the whole write commits with the reads or not at all.
DROP TABLE IF EXISTS "analytics_state"."exptrack_mobile_onboarding_units"
;
-- exptrack experiment mobile_onboarding, step state write, as of 2026-11-01T00:00:00.000Z, new watermark 2026-10-31T00:00:00.000Z
-- Only what lies before the cut is stored; the whole write commits with the reads or not at all.
CREATE TABLE "analytics_state"."exptrack_mobile_onboarding_units" AS
SELECT
  d.unit_id,
  d.s_first_exposed_at AS first_exposed_at,
  d.s_variant_min AS variant_min,
  d.s_variant_max AS variant_max,
  "d"."s_m_1_y" AS "m_1_y",
  "d"."s_m_1_x" AS "m_1_x"
FROM "exptrack_delta" AS d
WHERE d.s_first_exposed_at IS NOT NULL
;
-- exptrack experiment mobile_onboarding, step state write, as of 2026-11-01T00:00:00.000Z, new watermark 2026-10-31T00:00:00.000Z
-- Only what lies before the cut is stored; the whole write commits with the reads or not at all.
DROP TABLE IF EXISTS "analytics_state"."exptrack_mobile_onboarding_excluded"
;
-- exptrack experiment mobile_onboarding, step state write, as of 2026-11-01T00:00:00.000Z, new watermark 2026-10-31T00:00:00.000Z
-- Only what lies before the cut is stored; the whole write commits with the reads or not at all.
CREATE TABLE "analytics_state"."exptrack_mobile_onboarding_excluded" AS
SELECT DISTINCT n.filter_no, n.unit_id FROM "exptrack_excluded_new" AS n WHERE n.seg = 1
;
-- exptrack experiment mobile_onboarding, step state write, as of 2026-11-01T00:00:00.000Z, new watermark 2026-10-31T00:00:00.000Z
-- Only what lies before the cut is stored; the whole write commits with the reads or not at all.
DROP TABLE IF EXISTS "exptrack_sources_sealed"
;
-- exptrack experiment mobile_onboarding, step state write, as of 2026-11-01T00:00:00.000Z, new watermark 2026-10-31T00:00:00.000Z
-- Only what lies before the cut is stored; the whole write commits with the reads or not at all.
CREATE TEMPORARY TABLE "exptrack_sources_sealed" AS
SELECT
  'app_events' AS source_name,
  MAX(p.latest_event_at) AS latest_event_at,
  MAX(p.latest_loaded_at) AS latest_loaded_at,
  COALESCE(SUM(p.row_count), 0) AS row_count
FROM (
  SELECT source_name, latest_event_at, latest_loaded_at, row_count FROM "exptrack_sources_new" WHERE seg = 1
) AS p
WHERE p.source_name = 'app_events'
UNION ALL
SELECT
  'exposures' AS source_name,
  MAX(p.latest_event_at) AS latest_event_at,
  MAX(p.latest_loaded_at) AS latest_loaded_at,
  COALESCE(SUM(p.row_count), 0) AS row_count
FROM (
  SELECT source_name, latest_event_at, latest_loaded_at, row_count FROM "exptrack_sources_new" WHERE seg = 1
) AS p
WHERE p.source_name = 'exposures'
;
-- exptrack experiment mobile_onboarding, step state write, as of 2026-11-01T00:00:00.000Z, new watermark 2026-10-31T00:00:00.000Z
-- Only what lies before the cut is stored; the whole write commits with the reads or not at all.
CREATE TABLE IF NOT EXISTS "analytics_state"."exptrack_mobile_onboarding_sources" AS SELECT * FROM "exptrack_sources_sealed" WHERE 1 = 0
;
-- exptrack experiment mobile_onboarding, step state write, as of 2026-11-01T00:00:00.000Z, new watermark 2026-10-31T00:00:00.000Z
-- Only what lies before the cut is stored; the whole write commits with the reads or not at all.
DELETE FROM "analytics_state"."exptrack_mobile_onboarding_sources" WHERE TRUE
;
-- exptrack experiment mobile_onboarding, step state write, as of 2026-11-01T00:00:00.000Z, new watermark 2026-10-31T00:00:00.000Z
-- Only what lies before the cut is stored; the whole write commits with the reads or not at all.
INSERT INTO "analytics_state"."exptrack_mobile_onboarding_sources" SELECT * FROM "exptrack_sources_sealed"
;
-- exptrack experiment mobile_onboarding, step state write, as of 2026-11-01T00:00:00.000Z, new watermark 2026-10-31T00:00:00.000Z
-- Only what lies before the cut is stored; the whole write commits with the reads or not at all.
DROP TABLE IF EXISTS "analytics_state"."exptrack_mobile_onboarding_quality"
;
-- exptrack experiment mobile_onboarding, step state write, as of 2026-11-01T00:00:00.000Z, new watermark 2026-10-31T00:00:00.000Z
-- Only what lies before the cut is stored; the whole write commits with the reads or not at all.
CREATE TABLE "analytics_state"."exptrack_mobile_onboarding_quality" AS
SELECT exposure_rows, missing_key_rows FROM "exptrack_quality_new" WHERE seg = 1
;
-- exptrack experiment mobile_onboarding, step state write, as of 2026-11-01T00:00:00.000Z, new watermark 2026-10-31T00:00:00.000Z
-- Only what lies before the cut is stored; the whole write commits with the reads or not at all.
DELETE FROM "analytics_state"."exptrack_state" WHERE experiment_id = 'mobile_onboarding'
;
-- exptrack experiment mobile_onboarding, step state write, as of 2026-11-01T00:00:00.000Z, new watermark 2026-10-31T00:00:00.000Z
-- Only what lies before the cut is stored; the whole write commits with the reads or not at all.
INSERT INTO "analytics_state"."exptrack_state" (experiment_id, fingerprint, watermark, as_of, run_id, tool_version)
VALUES ('mobile_onboarding', 'golden', '2026-10-31T00:00:00.000Z', '2026-11-01T00:00:00.000Z', 'golden-run', '0.0.0')
;
-- exptrack experiment mobile_onboarding, step state write, as of 2026-11-01T00:00:00.000Z, new watermark 2026-10-31T00:00:00.000Z
-- Only what lies before the cut is stored; the whole write commits with the reads or not at all.
DROP TABLE IF EXISTS "exptrack_delta"
;
-- exptrack experiment mobile_onboarding, step state write, as of 2026-11-01T00:00:00.000Z, new watermark 2026-10-31T00:00:00.000Z
-- Only what lies before the cut is stored; the whole write commits with the reads or not at all.
DROP TABLE IF EXISTS "exptrack_excluded_new"
;
-- exptrack experiment mobile_onboarding, step state write, as of 2026-11-01T00:00:00.000Z, new watermark 2026-10-31T00:00:00.000Z
-- Only what lies before the cut is stored; the whole write commits with the reads or not at all.
DROP TABLE IF EXISTS "exptrack_sources_new"
;
-- exptrack experiment mobile_onboarding, step state write, as of 2026-11-01T00:00:00.000Z, new watermark 2026-10-31T00:00:00.000Z
-- Only what lies before the cut is stored; the whole write commits with the reads or not at all.
DROP TABLE IF EXISTS "exptrack_sources_sealed"
;
-- exptrack experiment mobile_onboarding, step state write, as of 2026-11-01T00:00:00.000Z, new watermark 2026-10-31T00:00:00.000Z
-- Only what lies before the cut is stored; the whole write commits with the reads or not at all.
DROP TABLE IF EXISTS "exptrack_quality_new"
;
-- exptrack experiment mobile_onboarding, step state write, as of 2026-11-01T00:00:00.000Z, new watermark 2026-10-31T00:00:00.000Z
-- Only what lies before the cut is stored; the whole write commits with the reads or not at all.
DROP TABLE IF EXISTS "exptrack_groups"
