-- exptrack experiment checkout_quantile, step quantiles, as of 2026-11-01T00:00:00.000Z
-- Quantile metrics: per metric and arm, the values ordered (per-unit values, or every matching event for
-- event-level metrics), and the three order statistics the analysis needs: the sample quantile (rank
-- ceil(N q)) and the bounds of its 95% interval (ranks N q -/+ z sqrt(N q (1 - q)) for per-unit values;
-- for events, N q -/+ z N sqrt(V) with V the variance of the share of events below the quantile, clustered
-- by unit), clipped to 1..N. Exact order statistics, not sketches; only these values, their ranks and, for
-- event-level metrics, the per-unit sums V comes from leave the warehouse.
WITH
exposure_rows AS (
  SELECT
    "x"."user_id" AS unit_id,
    CAST("x"."variant" AS TEXT) AS variant,
    "x"."exposed_at" AS exposed_at,
    CAST("x"."country" AS TEXT) AS "dim_1",
    CAST("x"."platform" AS TEXT) AS "dim_2"
  FROM "main"."exposures" AS x
  WHERE "x"."experiment_key" = 'checkout_redesign'
    AND "x"."user_id" IS NOT NULL
    AND "x"."exposed_at" >= TIMESTAMP '2026-10-04 00:00:00.000'
    AND "x"."exposed_at" < TIMESTAMP '2026-11-01 00:00:00.000'
),
"audience_1" AS (
  -- audience filter internal_traffic (exclude)
  SELECT DISTINCT "f"."user_id" AS unit_id
  FROM "main"."exposures" AS f
  WHERE ("f"."is_employee" = TRUE)
    AND "f"."exposed_at" >= TIMESTAMP '2026-10-04 00:00:00.000'
    AND "f"."exposed_at" < TIMESTAMP '2026-11-01 00:00:00.000'
),
all_units AS (
  SELECT
    unit_id,
    MIN(exposed_at) AS first_exposed_at,
    -- How many variants the unit saw (0, 1, or 2 meaning two or more): MIN and MAX need no per-unit
    -- distinct set, which COUNT(DISTINCT) would build for every unit.
    CASE WHEN MIN(variant) = MAX(variant) THEN 1 WHEN MIN(variant) IS NULL THEN 0 ELSE 2 END AS variant_count,
    MIN(variant) AS variant,
    (ARRAY_AGG("r"."dim_1" ORDER BY "r"."exposed_at") FILTER (WHERE "r"."dim_1" IS NOT NULL AND "r"."exposed_at" IS NOT NULL))[1] AS "dim_1",
    (ARRAY_AGG("r"."dim_2" ORDER BY "r"."exposed_at") FILTER (WHERE "r"."dim_2" IS NOT NULL AND "r"."exposed_at" IS NOT NULL))[1] AS "dim_2"
  FROM exposure_rows AS r
  GROUP BY unit_id
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
    AND variant IN ('control', 'one_page')
),
"source_1_units" AS (
  SELECT
    e.unit_id,
    MAX(CASE WHEN "s1"."event_at" >= e.first_exposed_at AND "s1"."event_at" < ("e"."first_exposed_at" + 604800 * INTERVAL '1 second') AND ("s1"."event_name" = 'order_completed') THEN 1 ELSE 0 END) AS "m_1_y",
    MAX(CASE WHEN "s1"."event_at" >= ("e"."first_exposed_at" + -1209600 * INTERVAL '1 second') AND "s1"."event_at" < e.first_exposed_at AND ("s1"."event_name" = 'order_completed') THEN 1 ELSE 0 END) AS "m_1_x",
    SUM(CASE WHEN "s1"."event_at" >= e.first_exposed_at AND "s1"."event_at" < ("e"."first_exposed_at" + 604800 * INTERVAL '1 second') AND (("s1"."event_name" = 'order_completed') AND ("s1"."amount" > 0)) THEN CAST("s1"."amount" AS NUMERIC(38, 6)) END) AS "m_2_y",
    SUM(CASE WHEN "s1"."event_at" >= e.first_exposed_at AND "s1"."event_at" < ("e"."first_exposed_at" + 604800 * INTERVAL '1 second') AND (("s1"."event_name" = 'order_completed') AND ("s1"."amount" > 0)) THEN CAST("s1"."amount" AS NUMERIC(38, 6)) END) AS "m_3_y",
    SUM(CASE WHEN "s1"."event_at" >= e.first_exposed_at AND "s1"."event_at" < ("e"."first_exposed_at" + 604800 * INTERVAL '1 second') AND (("s1"."event_name" = 'order_completed') AND ("s1"."amount" > 0)) THEN CAST("s1"."amount" AS NUMERIC(38, 6)) END) AS "m_4_y",
    SUM(CASE WHEN "s1"."event_at" >= e.first_exposed_at AND "s1"."event_at" < ("e"."first_exposed_at" + 604800 * INTERVAL '1 second') AND (("s1"."event_name" = 'order_completed') AND ("s1"."amount" > 0)) THEN CAST("s1"."amount" AS NUMERIC(38, 6)) END) AS "m_5_y",
    SUM(CASE WHEN "s1"."event_at" >= e.first_exposed_at AND "s1"."event_at" < ("e"."first_exposed_at" + 604800 * INTERVAL '1 second') AND (("s1"."event_name" = 'order_completed') AND ("s1"."amount" > 0)) THEN CAST("s1"."amount" AS NUMERIC(38, 6)) END) AS "m_6_y",
    SUM(CASE WHEN "s1"."event_at" >= ("e"."first_exposed_at" + -1209600 * INTERVAL '1 second') AND "s1"."event_at" < e.first_exposed_at AND (("s1"."event_name" = 'order_completed') AND ("s1"."amount" > 0)) THEN CAST("s1"."amount" AS NUMERIC(38, 6)) END) AS "m_6_x",
    SUM(CASE WHEN "s1"."event_at" >= e.first_exposed_at AND ("s1"."event_name" = 'checkout_error') THEN 1 ELSE 0 END) AS "m_7_y",
    SUM(CASE WHEN "s1"."event_at" >= ("e"."first_exposed_at" + -1209600 * INTERVAL '1 second') AND "s1"."event_at" < e.first_exposed_at AND ("s1"."event_name" = 'checkout_error') THEN 1 ELSE 0 END) AS "m_7_x"
  FROM exposures AS e
  INNER JOIN "main"."web_events" AS "s1"
    ON "s1"."user_id" = e.unit_id
  WHERE "s1"."event_at" >= TIMESTAMP '2026-09-20 00:00:00.000'
    AND "s1"."event_at" < TIMESTAMP '2026-11-01 00:00:00.000'
  GROUP BY e.unit_id
),
"dim_1_top" AS (
  -- The 10 values of this dimension with most units; the rest become one group.
  SELECT "dim_1" AS dimension_value
  FROM exposures
  WHERE "dim_1" IS NOT NULL
  GROUP BY "dim_1"
  ORDER BY COUNT(*) DESC, "dim_1"
  LIMIT 10
),
"dim_2_top" AS (
  -- The 10 values of this dimension with most units; the rest become one group.
  SELECT "dim_2" AS dimension_value
  FROM exposures
  WHERE "dim_2" IS NOT NULL
  GROUP BY "dim_2"
  ORDER BY COUNT(*) DESC, "dim_2"
  LIMIT 10
),
unit_values AS (
  SELECT
    e.variant,
    CASE WHEN "e"."dim_1" IS NULL OR "t1"."dimension_value" IS NOT NULL
      THEN "e"."dim_1" ELSE '(other)' END AS "dim_1",
    CASE WHEN "e"."dim_2" IS NULL OR "t2"."dimension_value" IS NOT NULL
      THEN "e"."dim_2" ELSE '(other)' END AS "dim_2",
    COALESCE("source_1_units"."m_1_y", 0) AS "m_1_y",
    COALESCE("source_1_units"."m_1_x", 0) AS "m_1_x",
    COALESCE("source_1_units"."m_2_y", 0) AS "m_2_y",
    COALESCE("source_1_units"."m_3_y", 0) AS "m_3_y",
    COALESCE("source_1_units"."m_4_y", 0) AS "m_4_y",
    COALESCE("source_1_units"."m_5_y", 0) AS "m_5_y",
    COALESCE("source_1_units"."m_6_y", 0) AS "m_6_y",
    COALESCE("source_1_units"."m_6_x", 0) AS "m_6_x",
    COALESCE("source_1_units"."m_7_y", 0) AS "m_7_y",
    COALESCE("source_1_units"."m_7_x", 0) AS "m_7_x"
  FROM exposures AS e
  LEFT JOIN "dim_1_top" AS "t1" ON "t1"."dimension_value" = "e"."dim_1"
  LEFT JOIN "dim_2_top" AS "t2" ON "t2"."dimension_value" = "e"."dim_2"
  LEFT JOIN "source_1_units" ON "source_1_units"."unit_id" = e.unit_id
),
caps_raw AS (
  -- Winsorization: each capped column's cap, pooled over all arms.
  SELECT
    (
      SELECT PERCENTILE_CONT(0.99) WITHIN GROUP (ORDER BY CAST("u"."m_6_y" AS DOUBLE PRECISION))
      FROM unit_values AS u
      -- One row: a no-op after an aggregate; needed where the percentile is a window function (BigQuery).
      LIMIT 1
    ) AS "m_6_y_cap",
    (
      SELECT PERCENTILE_CONT(0.99) WITHIN GROUP (ORDER BY CAST("u"."m_6_x" AS DOUBLE PRECISION))
      FROM unit_values AS u
      -- One row: a no-op after an aggregate; needed where the percentile is a window function (BigQuery).
      LIMIT 1
    ) AS "m_6_x_cap"
),
caps AS (
  -- Caps as exact decimals, so every warehouse caps at the same value and sums stay exact.
  SELECT
    CAST("r"."m_6_y_cap" AS NUMERIC(38, 6)) AS "m_6_y_cap",
    CAST("r"."m_6_x_cap" AS NUMERIC(38, 6)) AS "m_6_x_cap"
  FROM caps_raw AS r
),
analysed_values AS (
  SELECT
    u.*,
    CASE WHEN "c"."m_6_y_cap" IS NOT NULL AND "u"."m_6_y" > "c"."m_6_y_cap"
      THEN "c"."m_6_y_cap" ELSE "u"."m_6_y" END AS "m_6_y_capped",
    "c"."m_6_y_cap" AS "m_6_y_cap",
    CASE WHEN "c"."m_6_x_cap" IS NOT NULL AND "u"."m_6_x" > "c"."m_6_x_cap"
      THEN "c"."m_6_x_cap" ELSE "u"."m_6_x" END AS "m_6_x_capped",
    "c"."m_6_x_cap" AS "m_6_x_cap"
  FROM unit_values AS u
  CROSS JOIN caps AS c
)
,
quantile_input AS (
  SELECT 'order_value_p50' AS metric, CAST(0.5 AS DOUBLE PRECISION) AS level, variant, "m_2_y" AS v
  FROM analysed_values
  WHERE "m_2_y" IS NOT NULL
    AND "m_2_y" <> 0
  UNION ALL
  SELECT 'order_value_p90' AS metric, CAST(0.9 AS DOUBLE PRECISION) AS level, variant, "m_3_y" AS v
  FROM analysed_values
  WHERE "m_3_y" IS NOT NULL
    AND "m_3_y" <> 0
  UNION ALL
  SELECT 'revenue_p90' AS metric, CAST(0.9 AS DOUBLE PRECISION) AS level, variant, "m_4_y" AS v
  FROM analysed_values
  WHERE "m_4_y" IS NOT NULL
),
ordered AS (
  SELECT
    metric, level, variant, v,
    ROW_NUMBER() OVER (PARTITION BY metric, variant ORDER BY v) AS position,
    COUNT(*) OVER (PARTITION BY metric, variant) AS units
  FROM quantile_input
),
rank_bounds AS (
  -- In doubles, in the same order of operations as src/stats/quantile-estimate.ts, so both find the same ranks.
  SELECT
    metric, variant, v, position, units,
    CEIL(n * level) AS raw_estimate,
    FLOOR(n * level - 1.9599639845400538 * SQRT(n * level * (1 - level))) AS raw_lower,
    CEIL(n * level + 1.9599639845400538 * SQRT(n * level * (1 - level))) AS raw_upper
  FROM (SELECT o.*, CAST("o"."units" AS DOUBLE PRECISION) AS n FROM ordered AS o) AS d
),
clipped AS (
  SELECT
    metric, variant, v, position, units,
    LEAST(units, GREATEST(1, CAST("b"."raw_estimate" AS BIGINT))) AS estimate_rank,
    LEAST(units, GREATEST(1, CAST("b"."raw_lower" AS BIGINT))) AS lower_rank,
    LEAST(units, GREATEST(1, CAST("b"."raw_upper" AS BIGINT))) AS upper_rank
  FROM rank_bounds AS b
),
unit_quantiles AS (
  SELECT
    metric, variant,
    MAX(units) AS units,
    MAX(units) AS events,
    MAX(estimate_rank) AS estimate_rank,
    MAX(lower_rank) AS lower_rank,
    MAX(upper_rank) AS upper_rank,
    MAX(CASE WHEN position = estimate_rank THEN v END) AS estimate,
    MAX(CASE WHEN position = lower_rank THEN v END) AS lower_value,
    MAX(CASE WHEN position = upper_rank THEN v END) AS upper_value,
    0 AS below_sum, 0 AS below_sum_squares, 0 AS event_sum, 0 AS event_sum_squares, 0 AS below_event_sum
  FROM clipped
  GROUP BY metric, variant
),
event_input AS (
  -- order_value_event_p50: every matching event of an analysed unit in the metric's window.
  SELECT 'order_value_event_p50' AS metric, CAST(0.5 AS DOUBLE PRECISION) AS level, e.variant, e.unit_id, CAST("s1"."amount" AS NUMERIC(38, 6)) AS v
  FROM exposures AS e
  INNER JOIN "main"."web_events" AS "s1"
    ON "s1"."user_id" = e.unit_id
  WHERE "s1"."event_at" >= TIMESTAMP '2026-09-20 00:00:00.000'
    AND "s1"."event_at" < TIMESTAMP '2026-11-01 00:00:00.000'
    AND "s1"."event_at" >= e.first_exposed_at AND "s1"."event_at" < ("e"."first_exposed_at" + 604800 * INTERVAL '1 second') AND (("s1"."event_name" = 'order_completed') AND ("s1"."amount" > 0))
    AND CAST("s1"."amount" AS NUMERIC(38, 6)) IS NOT NULL
),
ordered_events AS (
  SELECT
    metric, level, variant, unit_id, v,
    ROW_NUMBER() OVER (PARTITION BY metric, variant ORDER BY v) AS position,
    COUNT(*) OVER (PARTITION BY metric, variant) AS events
  FROM event_input
),
event_points AS (
  -- The sample quantile of each arm's events.
  SELECT
    metric, variant,
    MAX(events) AS events,
    MAX(level) AS level,
    MAX(estimate_rank) AS estimate_rank,
    MAX(CASE WHEN position = estimate_rank THEN v END) AS estimate
  FROM (
    SELECT r.*, LEAST(r.events, GREATEST(1, CAST("r"."raw_estimate" AS BIGINT))) AS estimate_rank
    FROM (
      SELECT d.*, CEIL(d.nd * d.level) AS raw_estimate
      FROM (SELECT o.*, CAST("o"."events" AS DOUBLE PRECISION) AS nd FROM ordered_events AS o) AS d
    ) AS r
  ) AS p
  GROUP BY metric, variant
),
event_units AS (
  -- Per unit: its events, and how many are at or below its arm's sample quantile.
  SELECT
    o.metric, o.variant, o.unit_id,
    COUNT(*) AS e,
    SUM(CASE WHEN o.v <= p.estimate THEN 1 ELSE 0 END) AS m
  FROM ordered_events AS o
  INNER JOIN event_points AS p ON p.metric = o.metric AND p.variant = o.variant
  GROUP BY o.metric, o.variant, o.unit_id
),
event_clusters AS (
  SELECT
    metric, variant,
    COUNT(*) AS units,
    SUM(m) AS below_sum,
    SUM(m * m) AS below_sum_squares,
    SUM(e) AS event_sum,
    SUM(e * e) AS event_sum_squares,
    SUM(m * e) AS below_event_sum
  FROM event_units
  GROUP BY metric, variant
),
event_terms AS (
  -- In doubles, in the same order of operations as src/stats/event-quantile.ts, so both find the same ranks.
  SELECT
    x.*,
    bs / es AS f,
    (bss - (bs * bs) / n) / NULLIF(n - 1, 0) AS vm,
    (ess - (es * es) / n) / NULLIF(n - 1, 0) AS ve,
    (bes - (bs * es) / n) / NULLIF(n - 1, 0) AS cme,
    es / n AS ebar
  FROM (
    SELECT
      c.*, p.events, p.level, p.estimate_rank, p.estimate,
      CAST("c"."units" AS DOUBLE PRECISION) AS n,
      CAST("c"."below_sum" AS DOUBLE PRECISION) AS bs,
      CAST("c"."below_sum_squares" AS DOUBLE PRECISION) AS bss,
      CAST("c"."event_sum" AS DOUBLE PRECISION) AS es,
      CAST("c"."event_sum_squares" AS DOUBLE PRECISION) AS ess,
      CAST("c"."below_event_sum" AS DOUBLE PRECISION) AS bes,
      CAST("p"."events" AS DOUBLE PRECISION) AS big
    FROM event_clusters AS c
    INNER JOIN event_points AS p ON p.metric = c.metric AND p.variant = c.variant
  ) AS x
),
event_variance AS (
  SELECT
    t.*,
    CASE WHEN t.n > 1 AND (t.vm - 2 * t.f * t.cme + t.f * t.f * t.ve) / (t.n * t.ebar * t.ebar) > 0
      THEN (t.vm - 2 * t.f * t.cme + t.f * t.f * t.ve) / (t.n * t.ebar * t.ebar) ELSE 0 END AS share_variance
  FROM event_terms AS t
),
event_bounds AS (
  SELECT
    s.*,
    FLOOR(s.big * s.level - 1.9599639845400538 * s.big * SQRT(s.share_variance)) AS raw_lower,
    CEIL(s.big * s.level + 1.9599639845400538 * s.big * SQRT(s.share_variance)) AS raw_upper
  FROM event_variance AS s
),
event_ranks AS (
  SELECT
    b.metric, b.variant, b.units, b.events, b.estimate_rank, b.estimate,
    b.below_sum, b.below_sum_squares, b.event_sum, b.event_sum_squares, b.below_event_sum,
    LEAST(b.events, GREATEST(1, CAST("b"."raw_lower" AS BIGINT))) AS lower_rank,
    LEAST(b.events, GREATEST(1, CAST("b"."raw_upper" AS BIGINT))) AS upper_rank
  FROM event_bounds AS b
),
event_quantiles AS (
  SELECT
    r.metric, r.variant,
    MAX(r.units) AS units,
    MAX(r.events) AS events,
    MAX(r.estimate_rank) AS estimate_rank,
    MAX(r.lower_rank) AS lower_rank,
    MAX(r.upper_rank) AS upper_rank,
    MAX(r.estimate) AS estimate,
    MAX(CASE WHEN o.position = r.lower_rank THEN o.v END) AS lower_value,
    MAX(CASE WHEN o.position = r.upper_rank THEN o.v END) AS upper_value,
    MAX(r.below_sum) AS below_sum,
    MAX(r.below_sum_squares) AS below_sum_squares,
    MAX(r.event_sum) AS event_sum,
    MAX(r.event_sum_squares) AS event_sum_squares,
    MAX(r.below_event_sum) AS below_event_sum
  FROM event_ranks AS r
  INNER JOIN ordered_events AS o ON o.metric = r.metric AND o.variant = r.variant
  GROUP BY r.metric, r.variant
)
SELECT * FROM unit_quantiles
UNION ALL
SELECT * FROM event_quantiles
ORDER BY metric, variant
