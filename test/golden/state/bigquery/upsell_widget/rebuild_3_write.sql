-- exptrack experiment upsell_widget, step state write, as of 2026-11-01T00:00:00.000Z, new watermark 2026-10-31T00:00:00.000Z
-- Only what lies before the cut is stored; the whole write commits with the reads or not at all.
DROP TABLE IF EXISTS `analytics_state`.`exptrack_upsell_widget_units`
;
-- exptrack experiment upsell_widget, step state write, as of 2026-11-01T00:00:00.000Z, new watermark 2026-10-31T00:00:00.000Z
-- Only what lies before the cut is stored; the whole write commits with the reads or not at all.
CREATE TABLE `analytics_state`.`exptrack_upsell_widget_units` AS
SELECT
  d.unit_id,
  d.s_first_exposed_at AS first_exposed_at,
  d.s_variant_min AS variant_min,
  d.s_variant_max AS variant_max,
  `d`.`s_m_1_y` AS `m_1_y`,
  `d`.`s_m_1_x` AS `m_1_x`,
  `d`.`s_m_2_y` AS `m_2_y`,
  `d`.`s_m_2_x` AS `m_2_x`
FROM `exptrack_delta` AS d
WHERE d.s_first_exposed_at IS NOT NULL
;
-- exptrack experiment upsell_widget, step state write, as of 2026-11-01T00:00:00.000Z, new watermark 2026-10-31T00:00:00.000Z
-- Only what lies before the cut is stored; the whole write commits with the reads or not at all.
DROP TABLE IF EXISTS `analytics_state`.`exptrack_upsell_widget_excluded`
;
-- exptrack experiment upsell_widget, step state write, as of 2026-11-01T00:00:00.000Z, new watermark 2026-10-31T00:00:00.000Z
-- Only what lies before the cut is stored; the whole write commits with the reads or not at all.
CREATE TABLE `analytics_state`.`exptrack_upsell_widget_excluded` AS
SELECT DISTINCT n.filter_no, n.unit_id FROM `exptrack_excluded_new` AS n WHERE n.seg = 1
;
-- exptrack experiment upsell_widget, step state write, as of 2026-11-01T00:00:00.000Z, new watermark 2026-10-31T00:00:00.000Z
-- Only what lies before the cut is stored; the whole write commits with the reads or not at all.
CREATE OR REPLACE TEMP TABLE `exptrack_sources_sealed` AS
SELECT
  'exposures' AS source_name,
  MAX(p.latest_event_at) AS latest_event_at,
  MAX(p.latest_loaded_at) AS latest_loaded_at,
  COALESCE(SUM(p.row_count), 0) AS row_count
FROM (
  SELECT source_name, latest_event_at, latest_loaded_at, row_count FROM `exptrack_sources_new` WHERE seg = 1
) AS p
WHERE p.source_name = 'exposures'
UNION ALL
SELECT
  'web_events' AS source_name,
  MAX(p.latest_event_at) AS latest_event_at,
  MAX(p.latest_loaded_at) AS latest_loaded_at,
  COALESCE(SUM(p.row_count), 0) AS row_count
FROM (
  SELECT source_name, latest_event_at, latest_loaded_at, row_count FROM `exptrack_sources_new` WHERE seg = 1
) AS p
WHERE p.source_name = 'web_events'
;
-- exptrack experiment upsell_widget, step state write, as of 2026-11-01T00:00:00.000Z, new watermark 2026-10-31T00:00:00.000Z
-- Only what lies before the cut is stored; the whole write commits with the reads or not at all.
CREATE TABLE IF NOT EXISTS `analytics_state`.`exptrack_upsell_widget_sources` AS SELECT * FROM `exptrack_sources_sealed` WHERE 1 = 0
;
-- exptrack experiment upsell_widget, step state write, as of 2026-11-01T00:00:00.000Z, new watermark 2026-10-31T00:00:00.000Z
-- Only what lies before the cut is stored; the whole write commits with the reads or not at all.
DELETE FROM `analytics_state`.`exptrack_upsell_widget_sources` WHERE TRUE
;
-- exptrack experiment upsell_widget, step state write, as of 2026-11-01T00:00:00.000Z, new watermark 2026-10-31T00:00:00.000Z
-- Only what lies before the cut is stored; the whole write commits with the reads or not at all.
INSERT INTO `analytics_state`.`exptrack_upsell_widget_sources` SELECT * FROM `exptrack_sources_sealed`
;
-- exptrack experiment upsell_widget, step state write, as of 2026-11-01T00:00:00.000Z, new watermark 2026-10-31T00:00:00.000Z
-- Only what lies before the cut is stored; the whole write commits with the reads or not at all.
DROP TABLE IF EXISTS `analytics_state`.`exptrack_upsell_widget_quality`
;
-- exptrack experiment upsell_widget, step state write, as of 2026-11-01T00:00:00.000Z, new watermark 2026-10-31T00:00:00.000Z
-- Only what lies before the cut is stored; the whole write commits with the reads or not at all.
CREATE TABLE `analytics_state`.`exptrack_upsell_widget_quality` AS
SELECT exposure_rows, missing_key_rows FROM `exptrack_quality_new` WHERE seg = 1
;
-- exptrack experiment upsell_widget, step state write, as of 2026-11-01T00:00:00.000Z, new watermark 2026-10-31T00:00:00.000Z
-- Only what lies before the cut is stored; the whole write commits with the reads or not at all.
DELETE FROM `analytics_state`.`exptrack_state` WHERE experiment_id = 'upsell_widget'
;
-- exptrack experiment upsell_widget, step state write, as of 2026-11-01T00:00:00.000Z, new watermark 2026-10-31T00:00:00.000Z
-- Only what lies before the cut is stored; the whole write commits with the reads or not at all.
INSERT INTO `analytics_state`.`exptrack_state` (experiment_id, fingerprint, watermark, as_of, run_id, tool_version)
VALUES ('upsell_widget', 'golden', '2026-10-31T00:00:00.000Z', '2026-11-01T00:00:00.000Z', 'golden-run', '0.0.0')
