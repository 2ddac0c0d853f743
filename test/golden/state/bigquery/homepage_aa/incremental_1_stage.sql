-- exptrack experiment homepage_aa, step state stage, as of 2026-11-01T00:00:00.000Z, watermark 2026-10-30T00:00:00.000Z, cut 2026-10-31T00:00:00.000Z
-- Rows newer than the watermark (minus nothing: the watermark already sits a late-arrival lookback
-- back) are read once. Rows before the cut join the stored state; rows after it only count now,
-- and are read again next time, when late rows may have joined them.
CREATE OR REPLACE TEMP TABLE `exptrack_delta` AS
WITH
exp_rows AS (
  SELECT
    `x`.`user_id` AS unit_id,
    CAST(`x`.`variant` AS STRING) AS variant,
    `x`.`exposed_at` AS exposed_at,
    CASE WHEN `x`.`exposed_at` < TIMESTAMP '2026-10-31 00:00:00.000 UTC' THEN 1 ELSE 2 END AS seg,
    CAST(`x`.`platform` AS STRING) AS `dim_1`
  FROM `main`.`exposures` AS x
  WHERE `x`.`experiment_key` = 'homepage_aa'
    AND `x`.`user_id` IS NOT NULL
    AND `x`.`exposed_at` >= TIMESTAMP '2026-10-30 00:00:00.000 UTC'
    AND `x`.`exposed_at` < TIMESTAMP '2026-11-01 00:00:00.000 UTC'
),
exp_seg AS (
  SELECT
    unit_id,
    seg,
    MIN(exposed_at) AS first_exposed_at,
    MIN(variant) AS variant_min,
    MAX(variant) AS variant_max,
    MIN_BY(`r`.`dim_1`, IF(`r`.`dim_1` IS NULL, NULL, `r`.`exposed_at`)) AS `dim_1`,
    MIN(CASE WHEN `r`.`dim_1` IS NOT NULL THEN `r`.`exposed_at` END) AS `dim_1_at`
  FROM exp_rows AS r
  GROUP BY unit_id, seg
),
exp_touched AS (
  SELECT unit_id FROM exp_seg GROUP BY unit_id
),
sealed_exp AS (
  -- Stored state plus the exposure rows before the cut: what the state will hold after this run.
  SELECT
    t.unit_id,
    CASE WHEN o.unit_id IS NULL THEN 1 ELSE 0 END AS is_new,
    CASE WHEN `o`.`first_exposed_at` IS NULL THEN `a`.`first_exposed_at` WHEN `a`.`first_exposed_at` IS NULL OR `o`.`first_exposed_at` <= `a`.`first_exposed_at` THEN `o`.`first_exposed_at` ELSE `a`.`first_exposed_at` END AS `first_exposed_at`,
    CASE WHEN `o`.`variant_min` IS NULL THEN `a`.`variant_min` WHEN `a`.`variant_min` IS NULL OR `o`.`variant_min` <= `a`.`variant_min` THEN `o`.`variant_min` ELSE `a`.`variant_min` END AS `variant_min`,
    CASE WHEN `o`.`variant_max` IS NULL THEN `a`.`variant_max` WHEN `a`.`variant_max` IS NULL OR `o`.`variant_max` >= `a`.`variant_max` THEN `o`.`variant_max` ELSE `a`.`variant_max` END AS `variant_max`,
    -- A dimension keeps its value at the unit's earliest exposure that has one (as first_by does).
    CASE WHEN `a`.`dim_1_at` IS NOT NULL AND (`o`.`dim_1_at` IS NULL OR `a`.`dim_1_at` < `o`.`dim_1_at`)
      THEN `a`.`dim_1` ELSE `o`.`dim_1` END AS `dim_1`,
    CASE WHEN `o`.`dim_1_at` IS NULL THEN `a`.`dim_1_at` WHEN `a`.`dim_1_at` IS NULL OR `o`.`dim_1_at` <= `a`.`dim_1_at` THEN `o`.`dim_1_at` ELSE `a`.`dim_1_at` END AS `dim_1_at`  FROM exp_touched AS t
  LEFT JOIN `analytics_state`.`exptrack_homepage_aa_units` AS o ON o.unit_id = t.unit_id
  LEFT JOIN exp_seg AS a ON a.unit_id = t.unit_id AND a.seg = 1
),
touched_exp AS (
  -- ... plus the rows after the cut: the units' exposure as of now.
  SELECT
    s.unit_id,
    s.is_new,
    CASE WHEN `s`.`first_exposed_at` IS NULL THEN `b`.`first_exposed_at` WHEN `b`.`first_exposed_at` IS NULL OR `s`.`first_exposed_at` <= `b`.`first_exposed_at` THEN `s`.`first_exposed_at` ELSE `b`.`first_exposed_at` END AS `first_exposed_at`,
    CASE WHEN `s`.`variant_min` IS NULL THEN `b`.`variant_min` WHEN `b`.`variant_min` IS NULL OR `s`.`variant_min` <= `b`.`variant_min` THEN `s`.`variant_min` ELSE `b`.`variant_min` END AS `variant_min`,
    CASE WHEN `s`.`variant_max` IS NULL THEN `b`.`variant_max` WHEN `b`.`variant_max` IS NULL OR `s`.`variant_max` >= `b`.`variant_max` THEN `s`.`variant_max` ELSE `b`.`variant_max` END AS `variant_max`,
    -- A dimension keeps its value at the unit's earliest exposure that has one (as first_by does).
    CASE WHEN `b`.`dim_1_at` IS NOT NULL AND (`s`.`dim_1_at` IS NULL OR `b`.`dim_1_at` < `s`.`dim_1_at`)
      THEN `b`.`dim_1` ELSE `s`.`dim_1` END AS `dim_1`,
    CASE WHEN `s`.`dim_1_at` IS NULL THEN `b`.`dim_1_at` WHEN `b`.`dim_1_at` IS NULL OR `s`.`dim_1_at` <= `b`.`dim_1_at` THEN `s`.`dim_1_at` ELSE `b`.`dim_1_at` END AS `dim_1_at`,
    s.first_exposed_at AS s_first_exposed_at,
    s.variant_min AS s_variant_min,
    s.variant_max AS s_variant_max,
    `s`.`dim_1` AS `s_dim_1`,
    `s`.`dim_1_at` AS `s_dim_1_at`
  FROM sealed_exp AS s
  LEFT JOIN exp_seg AS b ON b.unit_id = s.unit_id AND b.seg = 2
),
exp_all AS (
  -- Every exposed unit's first exposure, for the metric windows; is_new: not in the stored state.
  SELECT unit_id, first_exposed_at, is_new FROM touched_exp
  UNION ALL
  SELECT o.unit_id, o.first_exposed_at, 0 AS is_new
  FROM `analytics_state`.`exptrack_homepage_aa_units` AS o
  WHERE NOT EXISTS (SELECT 1 FROM exp_touched AS t WHERE t.unit_id = o.unit_id)
),
`source_1_cut` AS (
  -- The metrics' own per-unit values (the same partial as a full refresh), per side of the cut.
  -- Rows before the watermark are read only for units new to the state (their pre-exposure window).
  SELECT
    e.unit_id,
    CASE WHEN `s1`.`event_at` < TIMESTAMP '2026-10-31 00:00:00.000 UTC' THEN 1 ELSE 2 END AS seg,
    MAX(CASE WHEN `s1`.`event_at` >= e.first_exposed_at AND `s1`.`event_at` < TIMESTAMP_ADD(`e`.`first_exposed_at`, INTERVAL 604800 SECOND) AND (`s1`.`event_name` = 'order_completed') THEN 1 ELSE 0 END) AS `m_1_y`,
    MAX(CASE WHEN `s1`.`event_at` >= TIMESTAMP_ADD(`e`.`first_exposed_at`, INTERVAL -1209600 SECOND) AND `s1`.`event_at` < e.first_exposed_at AND (`s1`.`event_name` = 'order_completed') THEN 1 ELSE 0 END) AS `m_1_x`,
    SUM(CASE WHEN `s1`.`event_at` >= e.first_exposed_at AND `s1`.`event_at` < TIMESTAMP_ADD(`e`.`first_exposed_at`, INTERVAL 604800 SECOND) AND ((`s1`.`event_name` = 'order_completed') AND (`s1`.`amount` > 0)) THEN ROUND(CAST(`s1`.`amount` AS NUMERIC), 6) END) AS `m_2_y`,
    SUM(CASE WHEN `s1`.`event_at` >= TIMESTAMP_ADD(`e`.`first_exposed_at`, INTERVAL -1209600 SECOND) AND `s1`.`event_at` < e.first_exposed_at AND ((`s1`.`event_name` = 'order_completed') AND (`s1`.`amount` > 0)) THEN ROUND(CAST(`s1`.`amount` AS NUMERIC), 6) END) AS `m_2_x`,
    SUM(CASE WHEN `s1`.`event_at` >= e.first_exposed_at AND (`s1`.`event_name` = 'page_view') THEN 1 ELSE 0 END) AS `m_3_y`,
    SUM(CASE WHEN `s1`.`event_at` >= TIMESTAMP_ADD(`e`.`first_exposed_at`, INTERVAL -1209600 SECOND) AND `s1`.`event_at` < e.first_exposed_at AND (`s1`.`event_name` = 'page_view') THEN 1 ELSE 0 END) AS `m_3_x`
  FROM exp_all AS e
  INNER JOIN `main`.`web_events` AS `s1`
    ON `s1`.`user_id` = e.unit_id
  WHERE `s1`.`event_at` >= TIMESTAMP '2026-10-16 00:00:00.000 UTC'
    AND `s1`.`event_at` < TIMESTAMP '2026-11-01 00:00:00.000 UTC'
    AND (`s1`.`event_at` >= TIMESTAMP '2026-10-30 00:00:00.000 UTC' OR e.is_new = 1)
  GROUP BY e.unit_id, CASE WHEN `s1`.`event_at` < TIMESTAMP '2026-10-31 00:00:00.000 UTC' THEN 1 ELSE 2 END
),
`source_1_parts` AS (
  SELECT
    unit_id,
    MAX(CASE WHEN seg = 1 THEN `m_1_y` END) AS `m_1_y_c1`,
    MAX(CASE WHEN seg = 2 THEN `m_1_y` END) AS `m_1_y_c2`,
    MAX(CASE WHEN seg = 1 THEN `m_1_x` END) AS `m_1_x_c1`,
    MAX(CASE WHEN seg = 2 THEN `m_1_x` END) AS `m_1_x_c2`,
    MAX(CASE WHEN seg = 1 THEN `m_2_y` END) AS `m_2_y_c1`,
    MAX(CASE WHEN seg = 2 THEN `m_2_y` END) AS `m_2_y_c2`,
    MAX(CASE WHEN seg = 1 THEN `m_2_x` END) AS `m_2_x_c1`,
    MAX(CASE WHEN seg = 2 THEN `m_2_x` END) AS `m_2_x_c2`,
    MAX(CASE WHEN seg = 1 THEN `m_3_y` END) AS `m_3_y_c1`,
    MAX(CASE WHEN seg = 2 THEN `m_3_y` END) AS `m_3_y_c2`,
    MAX(CASE WHEN seg = 1 THEN `m_3_x` END) AS `m_3_x_c1`,
    MAX(CASE WHEN seg = 2 THEN `m_3_x` END) AS `m_3_x_c2`
  FROM `source_1_cut`
  GROUP BY unit_id
),
touched AS (
  SELECT unit_id FROM exp_touched
  UNION DISTINCT  SELECT unit_id FROM `source_1_parts`
),
touched_units AS (
  SELECT
    x.unit_id, x.is_new, x.first_exposed_at, x.variant_min, x.variant_max, `x`.`dim_1`, `x`.`dim_1_at`,
    x.s_first_exposed_at, x.s_variant_min, x.s_variant_max, `x`.`s_dim_1`, `x`.`s_dim_1_at`
  FROM touched_exp AS x
  UNION ALL
  -- Units with new metric rows only: their exposure is the stored one.
  SELECT
    o.unit_id, 0 AS is_new, o.first_exposed_at, o.variant_min, o.variant_max, `o`.`dim_1`, `o`.`dim_1_at`,
    o.first_exposed_at, o.variant_min, o.variant_max, `o`.`dim_1`, `o`.`dim_1_at`
  FROM `analytics_state`.`exptrack_homepage_aa_units` AS o
  WHERE EXISTS (SELECT 1 FROM touched AS t WHERE t.unit_id = o.unit_id)
    AND NOT EXISTS (SELECT 1 FROM exp_touched AS t WHERE t.unit_id = o.unit_id)
),
sealed_values AS (
  SELECT
    u.*,
    CASE WHEN `o`.`m_1_y` IS NULL THEN `source_1_parts`.`m_1_y_c1` WHEN `source_1_parts`.`m_1_y_c1` IS NULL OR `o`.`m_1_y` >= `source_1_parts`.`m_1_y_c1` THEN `o`.`m_1_y` ELSE `source_1_parts`.`m_1_y_c1` END AS `s_m_1_y`,
    CASE WHEN `o`.`m_1_x` IS NULL THEN `source_1_parts`.`m_1_x_c1` WHEN `source_1_parts`.`m_1_x_c1` IS NULL OR `o`.`m_1_x` >= `source_1_parts`.`m_1_x_c1` THEN `o`.`m_1_x` ELSE `source_1_parts`.`m_1_x_c1` END AS `s_m_1_x`,
    CASE WHEN `o`.`m_2_y` IS NULL THEN `source_1_parts`.`m_2_y_c1` WHEN `source_1_parts`.`m_2_y_c1` IS NULL THEN `o`.`m_2_y` ELSE `o`.`m_2_y` + `source_1_parts`.`m_2_y_c1` END AS `s_m_2_y`,
    CASE WHEN `o`.`m_2_x` IS NULL THEN `source_1_parts`.`m_2_x_c1` WHEN `source_1_parts`.`m_2_x_c1` IS NULL THEN `o`.`m_2_x` ELSE `o`.`m_2_x` + `source_1_parts`.`m_2_x_c1` END AS `s_m_2_x`,
    CASE WHEN `o`.`m_3_y` IS NULL THEN `source_1_parts`.`m_3_y_c1` WHEN `source_1_parts`.`m_3_y_c1` IS NULL THEN `o`.`m_3_y` ELSE `o`.`m_3_y` + `source_1_parts`.`m_3_y_c1` END AS `s_m_3_y`,
    CASE WHEN `o`.`m_3_x` IS NULL THEN `source_1_parts`.`m_3_x_c1` WHEN `source_1_parts`.`m_3_x_c1` IS NULL THEN `o`.`m_3_x` ELSE `o`.`m_3_x` + `source_1_parts`.`m_3_x_c1` END AS `s_m_3_x`
  FROM touched_units AS u
  LEFT JOIN (
    SELECT l.unit_id, `l`.`m_1_y` AS `m_1_y`, `l`.`m_1_x` AS `m_1_x`, `l`.`m_2_y` AS `m_2_y`, `l`.`m_2_x` AS `m_2_x`, `l`.`m_3_y` AS `m_3_y`, `l`.`m_3_x` AS `m_3_x`
    FROM `analytics_state`.`exptrack_homepage_aa_units` AS l
  ) AS o ON o.unit_id = u.unit_id
  LEFT JOIN `source_1_parts` ON `source_1_parts`.`unit_id` = u.unit_id
)
SELECT
  v.*,
  CASE WHEN `v`.`s_m_1_y` IS NULL THEN `source_1_parts`.`m_1_y_c2` WHEN `source_1_parts`.`m_1_y_c2` IS NULL OR `v`.`s_m_1_y` >= `source_1_parts`.`m_1_y_c2` THEN `v`.`s_m_1_y` ELSE `source_1_parts`.`m_1_y_c2` END AS `m_1_y`,
  CASE WHEN `v`.`s_m_1_x` IS NULL THEN `source_1_parts`.`m_1_x_c2` WHEN `source_1_parts`.`m_1_x_c2` IS NULL OR `v`.`s_m_1_x` >= `source_1_parts`.`m_1_x_c2` THEN `v`.`s_m_1_x` ELSE `source_1_parts`.`m_1_x_c2` END AS `m_1_x`,
  CASE WHEN `v`.`s_m_2_y` IS NULL THEN `source_1_parts`.`m_2_y_c2` WHEN `source_1_parts`.`m_2_y_c2` IS NULL THEN `v`.`s_m_2_y` ELSE `v`.`s_m_2_y` + `source_1_parts`.`m_2_y_c2` END AS `m_2_y`,
  CASE WHEN `v`.`s_m_2_x` IS NULL THEN `source_1_parts`.`m_2_x_c2` WHEN `source_1_parts`.`m_2_x_c2` IS NULL THEN `v`.`s_m_2_x` ELSE `v`.`s_m_2_x` + `source_1_parts`.`m_2_x_c2` END AS `m_2_x`,
  CASE WHEN `v`.`s_m_3_y` IS NULL THEN `source_1_parts`.`m_3_y_c2` WHEN `source_1_parts`.`m_3_y_c2` IS NULL THEN `v`.`s_m_3_y` ELSE `v`.`s_m_3_y` + `source_1_parts`.`m_3_y_c2` END AS `m_3_y`,
  CASE WHEN `v`.`s_m_3_x` IS NULL THEN `source_1_parts`.`m_3_x_c2` WHEN `source_1_parts`.`m_3_x_c2` IS NULL THEN `v`.`s_m_3_x` ELSE `v`.`s_m_3_x` + `source_1_parts`.`m_3_x_c2` END AS `m_3_x`
FROM sealed_values AS v
LEFT JOIN `source_1_parts` ON `source_1_parts`.`unit_id` = v.unit_id
;
-- exptrack experiment homepage_aa, step state stage, as of 2026-11-01T00:00:00.000Z, watermark 2026-10-30T00:00:00.000Z, cut 2026-10-31T00:00:00.000Z
-- Rows newer than the watermark (minus nothing: the watermark already sits a late-arrival lookback
-- back) are read once. Rows before the cut join the stored state; rows after it only count now,
-- and are read again next time, when late rows may have joined them.
CREATE OR REPLACE TEMP TABLE `exptrack_excluded_new` AS
-- filter internal_traffic: units it matches in rows since the watermark
SELECT DISTINCT 1 AS filter_no, `f`.`user_id` AS unit_id, CASE WHEN `f`.`exposed_at` < TIMESTAMP '2026-10-31 00:00:00.000 UTC' THEN 1 ELSE 2 END AS seg
FROM `main`.`exposures` AS f
WHERE (`f`.`is_employee` = TRUE)
  AND `f`.`exposed_at` >= TIMESTAMP '2026-10-30 00:00:00.000 UTC'
  AND `f`.`exposed_at` < TIMESTAMP '2026-11-01 00:00:00.000 UTC'
;
-- exptrack experiment homepage_aa, step state stage, as of 2026-11-01T00:00:00.000Z, watermark 2026-10-30T00:00:00.000Z, cut 2026-10-31T00:00:00.000Z
-- Rows newer than the watermark (minus nothing: the watermark already sits a late-arrival lookback
-- back) are read once. Rows before the cut join the stored state; rows after it only count now,
-- and are read again next time, when late rows may have joined them.
CREATE OR REPLACE TEMP TABLE `exptrack_sources_new` AS
SELECT
  'exposures' AS source_name,
  CASE WHEN `s`.`exposed_at` < TIMESTAMP '2026-10-31 00:00:00.000 UTC' THEN 1 ELSE 2 END AS seg,
  MAX(`s`.`exposed_at`) AS latest_event_at,
  MAX(`s`.`loaded_at`) AS latest_loaded_at,
  COUNT(*) AS row_count
FROM `main`.`exposures` AS s
WHERE `s`.`exposed_at` >= TIMESTAMP '2026-10-30 00:00:00.000 UTC'
  AND `s`.`exposed_at` < TIMESTAMP '2026-11-01 00:00:00.000 UTC'
GROUP BY CASE WHEN `s`.`exposed_at` < TIMESTAMP '2026-10-31 00:00:00.000 UTC' THEN 1 ELSE 2 END
UNION ALL
SELECT
  'web_events' AS source_name,
  CASE WHEN `s`.`event_at` < TIMESTAMP '2026-10-31 00:00:00.000 UTC' THEN 1 ELSE 2 END AS seg,
  MAX(`s`.`event_at`) AS latest_event_at,
  MAX(`s`.`loaded_at`) AS latest_loaded_at,
  COUNT(*) AS row_count
FROM `main`.`web_events` AS s
WHERE `s`.`event_at` >= TIMESTAMP '2026-10-30 00:00:00.000 UTC'
  AND `s`.`event_at` < TIMESTAMP '2026-11-01 00:00:00.000 UTC'
GROUP BY CASE WHEN `s`.`event_at` < TIMESTAMP '2026-10-31 00:00:00.000 UTC' THEN 1 ELSE 2 END
;
-- exptrack experiment homepage_aa, step state stage, as of 2026-11-01T00:00:00.000Z, watermark 2026-10-30T00:00:00.000Z, cut 2026-10-31T00:00:00.000Z
-- Rows newer than the watermark (minus nothing: the watermark already sits a late-arrival lookback
-- back) are read once. Rows before the cut join the stored state; rows after it only count now,
-- and are read again next time, when late rows may have joined them.
CREATE OR REPLACE TEMP TABLE `exptrack_quality_new` AS
-- The exposure_quality step's exposure-row counts (every experiment's rows in the window), per side of the cut.
SELECT
  CASE WHEN `k`.`exposed_at` < TIMESTAMP '2026-10-31 00:00:00.000 UTC' THEN 1 ELSE 2 END AS seg,
  COUNT(*) AS exposure_rows,
  SUM(CASE WHEN `k`.`experiment_key` IS NULL OR `k`.`experiment_key` = '' THEN 1 ELSE 0 END) AS missing_key_rows
FROM `main`.`exposures` AS k
WHERE `k`.`exposed_at` >= TIMESTAMP '2026-10-30 00:00:00.000 UTC'
  AND `k`.`exposed_at` < TIMESTAMP '2026-11-01 00:00:00.000 UTC'
GROUP BY CASE WHEN `k`.`exposed_at` < TIMESTAMP '2026-10-31 00:00:00.000 UTC' THEN 1 ELSE 2 END
;
-- exptrack experiment homepage_aa, step state groups, as of 2026-11-01T00:00:00.000Z
-- Every analysed unit's values (the same unit values, caps and capping as a full refresh: the
-- metric_values partial) summed once per variant, dimension values and exposure day. The metrics and
-- daily reads then add these few groups up instead of every unit twice: exact decimal and integer
-- sums add up to the same numbers in any grouping.
CREATE OR REPLACE TEMP TABLE `exptrack_groups` AS
WITH
current_units AS (
  SELECT
    d.unit_id, d.first_exposed_at, d.variant_min, d.variant_max, `d`.`dim_1`, `d`.`m_1_y` AS `m_1_y`, `d`.`m_1_x` AS `m_1_x`, `d`.`m_2_y` AS `m_2_y`, `d`.`m_2_x` AS `m_2_x`, `d`.`m_3_y` AS `m_3_y`, `d`.`m_3_x` AS `m_3_x`
  FROM `exptrack_delta` AS d
  UNION ALL
  SELECT
    o.unit_id, o.first_exposed_at, o.variant_min, o.variant_max, `o`.`dim_1`,
    `o`.`m_1_y` AS `m_1_y`,
    `o`.`m_1_x` AS `m_1_x`,
    `o`.`m_2_y` AS `m_2_y`,
    `o`.`m_2_x` AS `m_2_x`,
    `o`.`m_3_y` AS `m_3_y`,
    `o`.`m_3_x` AS `m_3_x`
  FROM `analytics_state`.`exptrack_homepage_aa_units` AS o
  -- An anti-join written as a join: NOT EXISTS lets DuckDB push the readers' filters below it and
  -- plan a delim join over every stored unit, several times slower.
  LEFT JOIN `exptrack_delta` AS t ON t.unit_id = o.unit_id
  WHERE t.unit_id IS NULL),
all_units AS (
  SELECT
    u.unit_id,
    u.first_exposed_at,
    CASE WHEN u.variant_min = u.variant_max THEN 1 WHEN u.variant_min IS NULL THEN 0 ELSE 2 END AS variant_count,
    u.variant_min AS variant,
    `u`.`dim_1`,
    `u`.`m_1_y`,
    `u`.`m_1_x`,
    `u`.`m_2_y`,
    `u`.`m_2_x`,
    `u`.`m_3_y`,
    `u`.`m_3_x`
  FROM current_units AS u
),
unit_exposures AS (
  SELECT * FROM all_units
),
exposures AS (
  SELECT *
  FROM unit_exposures
  WHERE variant_count = 1
    AND variant IN ('a', 'b')
),
`dim_1_top` AS (
  -- The 10 values of this dimension with most units; the rest become one group.
  SELECT `dim_1` AS dimension_value
  FROM exposures
  WHERE `dim_1` IS NOT NULL
  GROUP BY `dim_1`
  ORDER BY COUNT(*) DESC, `dim_1`
  LIMIT 10
),
unit_values AS (
  SELECT
    e.variant,
    e.first_exposed_at,
    CASE WHEN `e`.`dim_1` IS NULL OR `t1`.`dimension_value` IS NOT NULL
      THEN `e`.`dim_1` ELSE '(other)' END AS `dim_1`,
    COALESCE(`e`.`m_1_y`, 0) AS `m_1_y`,
    COALESCE(`e`.`m_1_x`, 0) AS `m_1_x`,
    COALESCE(`e`.`m_2_y`, 0) AS `m_2_y`,
    COALESCE(`e`.`m_2_x`, 0) AS `m_2_x`,
    COALESCE(`e`.`m_3_y`, 0) AS `m_3_y`,
    COALESCE(`e`.`m_3_x`, 0) AS `m_3_x`
  FROM exposures AS e
  LEFT JOIN `dim_1_top` AS `t1` ON `t1`.`dimension_value` = `e`.`dim_1`
),
caps_raw AS (
  -- Winsorization: each capped column's cap, pooled over all arms.
  SELECT
    (
      SELECT PERCENTILE_CONT(CAST(`u`.`m_2_y` AS FLOAT64), 0.99) OVER ()
      FROM unit_values AS u
      -- One row: a no-op after an aggregate; needed where the percentile is a window function (BigQuery).
      LIMIT 1
    ) AS `m_2_y_cap`,
    (
      SELECT PERCENTILE_CONT(CAST(`u`.`m_2_x` AS FLOAT64), 0.99) OVER ()
      FROM unit_values AS u
      -- One row: a no-op after an aggregate; needed where the percentile is a window function (BigQuery).
      LIMIT 1
    ) AS `m_2_x_cap`
),
caps AS (
  -- Caps as exact decimals, so every warehouse caps at the same value and sums stay exact.
  SELECT
    ROUND(CAST(`r`.`m_2_y_cap` AS NUMERIC), 6) AS `m_2_y_cap`,
    ROUND(CAST(`r`.`m_2_x_cap` AS NUMERIC), 6) AS `m_2_x_cap`
  FROM caps_raw AS r
),
analysed_values AS (
  SELECT
    u.*,
    CASE WHEN `c`.`m_2_y_cap` IS NOT NULL AND `u`.`m_2_y` > `c`.`m_2_y_cap`
      THEN `c`.`m_2_y_cap` ELSE `u`.`m_2_y` END AS `m_2_y_capped`,
    `c`.`m_2_y_cap` AS `m_2_y_cap`,
    CASE WHEN `c`.`m_2_x_cap` IS NOT NULL AND `u`.`m_2_x` > `c`.`m_2_x_cap`
      THEN `c`.`m_2_x_cap` ELSE `u`.`m_2_x` END AS `m_2_x_capped`,
    `c`.`m_2_x_cap` AS `m_2_x_cap`
  FROM unit_values AS u
  CROSS JOIN caps AS c
)
SELECT
  variant,
  DATE(`first_exposed_at`, 'UTC') AS exposure_day,
  `dim_1`,
  COUNT(*) AS units,
  MAX(`m_2_y_cap`) AS `m_2_y_cap`,
  MAX(`m_2_x_cap`) AS `m_2_x_cap`,
  SUM(`m_1_y`) AS `m_1_y_sum`,
  SUM(`m_1_y` * `m_1_y`) AS `m_1_y_sum_squares`,
  SUM(`m_1_x`) AS `m_1_x_sum`,
  SUM(`m_1_x` * `m_1_x`) AS `m_1_x_sum_squares`,
  SUM(`m_1_y` * `m_1_x`) AS `m_1_yx_sum`,
  SUM(`m_2_y_capped`) AS `m_2_y_sum`,
  SUM(`m_2_y_capped` * `m_2_y_capped`) AS `m_2_y_sum_squares`,
  SUM(`m_2_x_capped`) AS `m_2_x_sum`,
  SUM(`m_2_x_capped` * `m_2_x_capped`) AS `m_2_x_sum_squares`,
  SUM(`m_2_y_capped` * `m_2_x_capped`) AS `m_2_yx_sum`,
  SUM(`m_3_y`) AS `m_3_y_sum`,
  SUM(`m_3_y` * `m_3_y`) AS `m_3_y_sum_squares`,
  SUM(`m_3_x`) AS `m_3_x_sum`,
  SUM(`m_3_x` * `m_3_x`) AS `m_3_x_sum_squares`,
  SUM(`m_3_y` * `m_3_x`) AS `m_3_yx_sum`
FROM analysed_values
GROUP BY variant, DATE(`first_exposed_at`, 'UTC'), `dim_1`
